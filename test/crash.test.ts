// What a crash leaves behind. `npm run serve` streams 20 drafts from the emulator, is killed with SIGKILL
// mid-stream (no handler runs, nothing is flushed on the way out), and the SQLite file is then checked from
// outside, read-only: the database is intact, drafts that had finished are untouched, and after a restart every
// cut-off draft is `interrupted` with the text it had: a prefix of what Gemini sent, at least everything that
// reached the clients up to one flush interval before the kill.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../src/main/core/config/settings'
import { GeminiEmulator, type ScriptedReply } from './emulator/gemini-emulator'
import { startServe, type ServeProcess } from './helpers/serve-process'
import { isDone, openSse, type ReceivedEvent } from './helpers/sse-client'

const TOKEN = 'crash-test-token-0123456789abcdef'
const API_KEY = 'test-key'
const LONG_DRAFTS = 20
const SHORT_DRAFTS = 3
const LONG_CHUNKS = 40
const CHUNK_DELAY_MS = 50
/** The store's default flush interval (TranscriptStore): a crash may lose at most this much of a draft. */
const FLUSH_INTERVAL_MS = 150
/** Timer lateness on a busy 2-core machine (the whole suite runs beside this), on top of the interval. */
const SLACK_MS = 200

// Every chunk is distinct, so "a prefix of what was sent" cannot be satisfied by accident.
const chunksFor = (message: string, count: number): string[] => Array.from({ length: count }, (_, i) => `[${message}#${i}] `)
const replyFor = (message: string): ScriptedReply =>
  message.startsWith('short') ? { chunks: chunksFor(message, 5), delayMs: 2 } : { chunks: chunksFor(message, LONG_CHUNKS), delayMs: CHUNK_DELAY_MS }
const fullText = (message: string): string => replyFor(message).chunks.join('')

interface TimedText {
  at: number
  text: string
}

interface Draft {
  message: string
  messageId: number
  texts: TimedText[]
  events: ReceivedEvent[]
  ended: Promise<void>
}

interface MessageRow {
  id: number
  conversation_id: number
  role: string
  status: string
  text: string
}

/** Opens GET /chat/stream and follows it in the background, timing every piece of text as it arrives. */
async function startDraft(baseUrl: string, message: string): Promise<Draft> {
  const stream = await openSse(`${baseUrl}/chat/stream?message=${encodeURIComponent(message)}&token=${TOKEN}`)
  expect(stream.response.status).toBe(200)
  const meta = await stream.next()
  expect(meta?.event).toBe('meta')
  const { messageId } = JSON.parse(meta?.data ?? '{}') as { messageId: number }
  const draft: Draft = { message, messageId, texts: [], events: [], ended: Promise.resolve() }
  draft.ended = (async () => {
    for (let e = await stream.next(); e; e = await stream.next()) {
      draft.events.push(e)
      if (e.event === 'message' && !isDone(e)) draft.texts.push({ at: performance.now(), text: e.data })
    }
  })()
  return draft
}

const received = (draft: Draft, until = Infinity): string =>
  draft.texts
    .filter((t) => t.at <= until)
    .map((t) => t.text)
    .join('')

function readRows(databaseFile: string, ids: number[]): { integrity: string; rows: Map<number, MessageRow> } {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true })
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }))
    const select = db.prepare<[number], MessageRow>('SELECT id, conversation_id, role, status, text FROM messages WHERE id = ?')
    const rows = new Map<number, MessageRow>()
    for (const id of ids) {
      const row = select.get(id)
      if (row) rows.set(id, row)
    }
    return { integrity, rows }
  } finally {
    db.close()
  }
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('SIGKILL while 20 drafts stream', () => {
  let emulator: GeminiEmulator
  let serve: ServeProcess | undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-crash-'))
  const databaseFile = join(dataDir, DATABASE_FILE)
  const env = { SUPPORT_CONSOLE_DATA_DIR: dataDir, SUPPORT_CONSOLE_TOKEN: TOKEN, GEMINI_API_KEY: API_KEY }

  beforeAll(async () => {
    emulator = await GeminiEmulator.start({ apiKey: API_KEY })
    emulator.setDefaultReply((request) => replyFor(request.lastUserText))
  })

  afterAll(async () => {
    await serve?.stop('SIGKILL')
    await emulator.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  // Typically 2-3 s; the 30 s limit is for a machine busy with the rest of the suite.
  it('leaves an intact database in which nothing finished is lost and nothing cut off looks finished', async () => {
    serve = await startServe({ ...env, GEMINI_BASE_URL: emulator.url })

    const short: Draft[] = []
    for (let i = 0; i < SHORT_DRAFTS; i++) {
      const draft = await startDraft(serve.url, `short-${i}`)
      await draft.ended
      expect(draft.events.find((e) => e.event === 'end')?.data).toContain('"status":"complete"')
      expect(received(draft)).toBe(fullText(draft.message))
      short.push(draft)
    }

    const long = await Promise.all(Array.from({ length: LONG_DRAFTS }, (_, i) => startDraft(serve!.url, `long-${i}`)))
    await waitUntil(() => long.every((d) => d.texts.length > 0), 'every draft to stream some text')
    // More than one flush interval: every draft has text in the file by now, not only in memory.
    await new Promise((resolve) => setTimeout(resolve, 2 * FLUSH_INTERVAL_MS + SLACK_MS))
    const killedAt = performance.now()
    serve.child.kill('SIGKILL')
    const { signal } = await serve.exited
    expect(signal).toBe('SIGKILL')
    await Promise.all(long.map((d) => d.ended))
    // Still mid-stream when killed: none of them had reached its end.
    for (const draft of long) {
      expect(draft.events.some((e) => e.event === 'end' || isDone(e))).toBe(false)
      expect(received(draft).length).toBeLessThan(fullText(draft.message).length)
    }

    // The file as the crash left it, before anything repairs it.
    const ids = [...short, ...long].map((d) => d.messageId)
    const afterCrash = readRows(databaseFile, ids)
    expect(afterCrash.integrity).toBe('ok')
    for (const draft of short) expect(afterCrash.rows.get(draft.messageId)).toMatchObject({ status: 'complete', text: fullText(draft.message) })
    for (const draft of long) expect(afterCrash.rows.get(draft.messageId)?.status).toBe('streaming')

    serve = await startServe({ ...env, GEMINI_BASE_URL: emulator.url })
    // The banner's last line: everything start-up reports has been printed by then.
    await waitUntil(() => serve!.output().includes('Web console:'), 'the start-up banner')
    expect(serve.output()).toContain(`recovered:    ${LONG_DRAFTS} draft(s) cut off by an earlier crash, marked interrupted`)
    await serve.stop('SIGTERM')

    const afterRestart = readRows(databaseFile, ids)
    expect(afterRestart.integrity).toBe('ok')
    for (const draft of short) expect(afterRestart.rows.get(draft.messageId)).toMatchObject({ status: 'complete', text: fullText(draft.message) })
    const flushedBeforeKill = killedAt - FLUSH_INTERVAL_MS - SLACK_MS
    for (const draft of long) {
      const row = afterRestart.rows.get(draft.messageId)
      expect(row?.status, draft.message).toBe('interrupted')
      const saved = row?.text ?? ''
      expect(saved.length, draft.message).toBeGreaterThan(0)
      expect(fullText(draft.message).startsWith(saved), `${draft.message}: saved text is not a prefix of what Gemini sent`).toBe(true)
      expect(
        saved.startsWith(received(draft, flushedBeforeKill)),
        `${draft.message}: text that reached the client before the last flush is missing`,
      ).toBe(true)
      // Restarting changed the status only, never the text.
      expect(saved).toBe(afterCrash.rows.get(draft.messageId)?.text)
    }
  }, 30_000)
})
