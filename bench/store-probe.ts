// Times the transcript store from outside, without a hook in src/: appends and endDraft are public
// methods, wrapped on the instance; the batched flush is the private writeBatch, which the store's
// TextFlusher calls as `this.writeBatch(batch)` at flush time, so an own property on the instance takes its
// place. If that name changes the probe says so at once rather than silently reporting zero flushes.
import type { TranscriptStore } from '../src/main/core/store/transcript-store'
import { z } from 'zod'
import { jsonNumber, Samples, summarize, summarySchema } from './stats'

/** The texts first; whatever else the store passes (finished drafts' outcomes) is handed on untouched. */
type WriteBatch = (batch: ReadonlyMap<number, string>, ...rest: unknown[]) => void

export const storeProbeStatsSchema = z.object({
  /** appendDraftText calls (one per streamed chunk) and the UTF-8 bytes they carried. */
  appends: z.number(),
  appendBytes: z.number(),
  /** Batched flush transactions, how long each took, how many drafts and bytes each wrote. */
  flushMs: summarySchema,
  flushDrafts: summarySchema,
  flushBytes: z.number(),
  /** endDraft: writes the last pending text and the outcome in one transaction. */
  finishMs: summarySchema,
  /** The store's own counters over the same span. */
  flushes: z.number(),
  textWrites: z.number(),
  /** Wall time from the first append to the last endDraft of the span. */
  activeMs: jsonNumber,
})
export type StoreProbeStats = z.infer<typeof storeProbeStatsSchema>

export class StoreProbe {
  private appends = 0
  private appendBytes = 0
  private flushBytes = 0
  private readonly flushMs = new Samples()
  private readonly flushDrafts = new Samples()
  private readonly finishMs = new Samples()
  private baseline = { flushes: 0, textWrites: 0 }
  private firstAppendAt = Number.NaN
  private lastFinishAt = Number.NaN

  constructor(private readonly store: TranscriptStore) {
    const internals = store as unknown as { writeBatch?: WriteBatch }
    const writeBatch = internals.writeBatch
    if (typeof writeBatch !== 'function') {
      throw new Error('TranscriptStore no longer has a writeBatch method: update bench/store-probe.ts to time flushes.')
    }
    internals.writeBatch = (batch, ...rest) => {
      const started = performance.now()
      writeBatch.call(store, batch, ...rest)
      this.flushMs.add(performance.now() - started)
      this.flushDrafts.add(batch.size)
      // Counted after the timed write: the probe's own work stays out of the flush time.
      for (const text of batch.values()) this.flushBytes += Buffer.byteLength(text)
    }

    const append = store.appendDraftText.bind(store)
    store.appendDraftText = (messageId, text) => {
      if (Number.isNaN(this.firstAppendAt)) this.firstAppendAt = performance.now()
      append(messageId, text)
      this.appends++
      this.appendBytes += Buffer.byteLength(text)
    }

    // endDraft is what drafting calls (finishDraft is endDraft plus a read-back), so the probe times that.
    const end = store.endDraft.bind(store)
    store.endDraft = (messageId, result) => {
      const started = performance.now()
      end(messageId, result)
      this.lastFinishAt = performance.now()
      this.finishMs.add(this.lastFinishAt - started)
    }
    this.reset()
  }

  reset(): void {
    this.appends = 0
    this.appendBytes = 0
    this.flushBytes = 0
    this.flushMs.clear()
    this.flushDrafts.clear()
    this.finishMs.clear()
    this.baseline = this.store.stats
    this.firstAppendAt = Number.NaN
    this.lastFinishAt = Number.NaN
  }

  snapshot(): StoreProbeStats {
    const stats = this.store.stats
    return {
      appends: this.appends,
      appendBytes: this.appendBytes,
      flushMs: summarize(this.flushMs.values()),
      flushDrafts: summarize(this.flushDrafts.values()),
      flushBytes: this.flushBytes,
      finishMs: summarize(this.finishMs.values()),
      flushes: stats.flushes - this.baseline.flushes,
      textWrites: stats.textWrites - this.baseline.textWrites,
      activeMs: this.lastFinishAt - this.firstAppendAt,
    }
  }
}
