// Resident memory of the process it runs in: now, and the highest seen since the last take(). Sampled on a
// short unref'd timer, because a peak between two questions from the bench would otherwise go unseen.
import { z } from 'zod'
import { jsonNumber } from './stats'

export const memorySampleSchema = z.object({
  rssMb: jsonNumber,
  /** Highest RSS since the previous sample was taken. */
  peakRssMb: jsonNumber,
  heapUsedMb: jsonNumber,
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
    const sample = { rssMb: mb(usage.rss), peakRssMb: mb(Math.max(this.peak, usage.rss)), heapUsedMb: mb(usage.heapUsed) }
    this.peak = usage.rss
    return sample
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
