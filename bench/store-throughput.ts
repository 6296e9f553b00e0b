// The transcript store alone, no network: 100 drafts stream text into one SQLite file as fast as this
// process can append. Between rounds (one chunk to every draft) the loop yields to the event loop, as a
// live process does between network reads; otherwise the store's flush timer could never fire and every
// byte would be written by finishDraft. Real files in a temp folder, the store's real settings (WAL,
// synchronous=NORMAL).
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { TranscriptStore } from '../src/main/core/store/transcript-store'
import { REPLY_CHUNKS_TEXT } from './reply-script'
import { StoreProbe, type StoreProbeStats } from './store-probe'

export interface StoreThroughputOptions {
  drafts: number
  chunksPerDraft: number
  flushIntervalMs: number
}

export interface StoreThroughputResult extends StoreProbeStats {
  options: StoreThroughputOptions
  /** First append to last finishDraft returned. */
  totalMs: number
  /** The last 100 finishDraft calls alone. */
  finishAllMs: number
  /** Database plus WAL on disk after the run (before close checkpoints the WAL). */
  fileBytes: number
  /** Every draft read back with exactly the text appended to it. */
  verified: boolean
}

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

export async function runStoreThroughput(dir: string, options: StoreThroughputOptions): Promise<StoreThroughputResult> {
  const file = join(dir, `store-${options.flushIntervalMs}ms.db`)
  const store = TranscriptStore.open(file, { flushIntervalMs: options.flushIntervalMs })
  try {
    const probe = new StoreProbe(store)
    const drafts: number[] = []
    for (let i = 0; i < options.drafts; i++) {
      const conversation = store.createConversation({ title: `Bench conversation ${i + 1}`, source: 'bench' })
      store.addMessage({ conversationId: conversation.id, role: 'customer', text: 'Where is my order?', source: 'bench' })
      drafts.push(store.startDraft({ conversationId: conversation.id, source: 'bench', model: 'gemini-bench' }).id)
    }
    // ASCII text, so characters are bytes and the expected length is easy to check.
    const chunkOf = (round: number): string => REPLY_CHUNKS_TEXT[round % REPLY_CHUNKS_TEXT.length] as string
    let expectedLength = 0
    for (let round = 0; round < options.chunksPerDraft; round++) expectedLength += chunkOf(round).length

    probe.reset()
    const started = performance.now()
    for (let round = 0; round < options.chunksPerDraft; round++) {
      const text = chunkOf(round)
      for (const id of drafts) store.appendDraftText(id, text)
      await nextTurn()
    }
    const finishing = performance.now()
    const usage = { promptTokens: 20, outputTokens: Math.ceil(expectedLength / 4), totalTokens: 20 + Math.ceil(expectedLength / 4) }
    for (const id of drafts) {
      store.finishDraft(id, { status: 'complete', usage, firstTokenMs: 1, durationMs: 1, finishReason: 'STOP', errorKind: null, errorMessage: null })
    }
    const ended = performance.now()
    const stats = probe.snapshot()
    const fileBytes = fileSize(file) + fileSize(`${file}-wal`)
    const verified = drafts.every((id) => store.getMessage(id)?.text.length === expectedLength)
    return { ...stats, options, totalMs: ended - started, finishAllMs: ended - finishing, fileBytes, verified }
  } finally {
    store.close()
  }
}
