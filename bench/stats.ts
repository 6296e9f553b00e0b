// Percentiles and small summaries. Nearest-rank percentiles: every reported value is one that was really
// measured, and with few samples p99 is honestly the maximum rather than an interpolated guess.
import { z } from 'zod'

export interface Summary {
  count: number
  p50: number
  p99: number
  max: number
  mean: number
}

/** Nearest-rank percentile of already sorted values; NaN when there are none. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number
}

export function summarize(values: ArrayLike<number>): Summary {
  // A Float64Array sorts numerically and without boxing, which matters at tens of thousands of samples.
  const sorted = Float64Array.from(values).sort()
  let total = 0
  for (const v of sorted) total += v
  return {
    count: sorted.length,
    p50: percentileSorted(sorted, 50),
    p99: percentileSorted(sorted, 99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
  }
}

/** Collects numbers into a growable Float64Array, so hot paths record samples without allocating per sample. */
export class Samples {
  private buffer: Float64Array
  private size = 0

  constructor(initialCapacity = 1024) {
    this.buffer = new Float64Array(initialCapacity)
  }

  add(value: number): void {
    if (this.size === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2)
      grown.set(this.buffer)
      this.buffer = grown
    }
    this.buffer[this.size++] = value
  }

  get count(): number {
    return this.size
  }

  values(): Float64Array {
    return this.buffer.subarray(0, this.size)
  }

  clear(): void {
    this.size = 0
  }
}

/** A number that crossed IPC as JSON, where NaN (no samples) becomes null; read back as NaN. */
export const jsonNumber = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN)

export const summarySchema = z.object({ count: z.number(), p50: jsonNumber, p99: jsonNumber, max: jsonNumber, mean: jsonNumber })
