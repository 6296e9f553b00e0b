// Latency across processes needs one clock. The emulator stamps chunks with sharedClockMs() (wall clock at
// process start + monotonic time since), which should agree between processes on one machine to well
// under a millisecond. Rather than trust that, the offset is measured over the IPC channel, Cristian-style:
// the child's clock against the midpoint of the round trip, keeping the sample with the shortest trip.
import { z } from 'zod'
import { sharedClockMs } from '../test/emulator/gemini-emulator'
import type { BenchChild } from './ipc'

export { sharedClockMs }

export interface ClockOffset {
  /** Child clock minus our clock, in ms: subtract it from a child's timestamp to read it on our clock. */
  offsetMs: number
  /** Round trip of the best sample: the offset is uncertain by at most half of it. */
  rttMs: number
}

export async function measureClockOffset(child: BenchChild, samples = 40): Promise<ClockOffset> {
  let best: ClockOffset = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY }
  for (let i = 0; i < samples; i++) {
    const sent = sharedClockMs()
    const childNow = await child.request('clock', z.number())
    const received = sharedClockMs()
    const rtt = received - sent
    if (rtt < best.rttMs) best = { offsetMs: childNow - (sent + received) / 2, rttMs: rtt }
  }
  return best
}
