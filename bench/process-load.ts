// How busy a process was during a phase: CPU time over wall time, and how late its event loop ran.
// Every process of the benchmark reports this, so a table can show which one was the bottleneck
// (on 2 cores, three busy processes compete with each other).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { z } from 'zod'
import { jsonNumber } from './stats'

export const processLoadSchema = z.object({
  /** CPU time (user + system) over wall time; 100 = one core fully busy. */
  cpuPercent: jsonNumber,
  /** The same CPU time in ms, for costs per stream or per chunk. */
  cpuMs: jsonNumber,
  /** How much later than asked a 5 ms timer ran (the resolution is subtracted). */
  loopDelayP50Ms: jsonNumber,
  loopDelayP99Ms: jsonNumber,
  loopDelayMaxMs: jsonNumber,
  /** Resident memory at the end of the phase. */
  rssMb: jsonNumber,
})
export type ProcessLoad = z.infer<typeof processLoadSchema>

const RESOLUTION_MS = 5

export class LoadProbe {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  private cpuStart = process.cpuUsage()
  private wallStart = performance.now()

  start(): void {
    this.histogram.reset()
    this.histogram.enable()
    this.cpuStart = process.cpuUsage()
    this.wallStart = performance.now()
  }

  stop(): ProcessLoad {
    this.histogram.disable()
    const cpu = process.cpuUsage(this.cpuStart)
    const wallMs = performance.now() - this.wallStart
    // The histogram records whole timer intervals in nanoseconds; what matters is the lateness beyond them.
    const late = (ns: number): number => (Number.isFinite(ns) && ns > 0 ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : 0)
    const cpuMs = (cpu.user + cpu.system) / 1000
    return {
      cpuPercent: wallMs > 0 ? (cpuMs / wallMs) * 100 : 0,
      cpuMs,
      loopDelayP50Ms: late(this.histogram.percentile(50)),
      loopDelayP99Ms: late(this.histogram.percentile(99)),
      loopDelayMaxMs: late(this.histogram.max),
      rssMb: process.memoryUsage.rss() / 2 ** 20,
    }
  }
}
