// Resident memory of the process it runs in: now, and the highest seen since the last take(). Sampled on a
// short unref'd timer, because a peak between two questions from the bench would otherwise go unseen.
import { z } from 'zod'
import { jsonNumber } from './stats'

export const memorySampleSchema = z.object({
  rssMb: jsonNumber,
  /** Highest RSS since the previous sample was taken. */
  peakRssMb: jsonNumber,
  heapUsedMb: jsonNumber,
  /**
   * RSS and heap right after a full garbage collection (when the process runs with --expose-gc, else NaN): what is
   * really held, as opposed to garbage V8 has not collected yet because the process sat idle.
   */
  rssAfterGcMb: jsonNumber,
  heapAfterGcMb: jsonNumber,
})
export type MemorySample = z.infer<typeof memorySampleSchema>

const SAMPLE_EVERY_MS = 25
const mb = (bytes: number): number => bytes / 2 ** 20

export class MemoryProbe {
  private peak = process.memoryUsage.rss()
  private readonly timer: NodeJS.Timeout

  constructor() {
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss())
    }, SAMPLE_EVERY_MS)
    this.timer.unref()
  }

  take(): MemorySample {
    const usage = process.memoryUsage()
    const peakRssMb = mb(Math.max(this.peak, usage.rss))
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const collected = gc ? process.memoryUsage() : undefined
    this.peak = collected?.rss ?? usage.rss
    return {
      rssMb: mb(usage.rss),
      peakRssMb,
      heapUsedMb: mb(usage.heapUsed),
      rssAfterGcMb: collected ? mb(collected.rss) : Number.NaN,
      heapAfterGcMb: collected ? mb(collected.heapUsed) : Number.NaN,
    }
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
