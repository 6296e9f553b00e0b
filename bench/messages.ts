// What the children report to the bench process, as schemas (checked on arrival) and their types.
import { z } from 'zod'
import { processLoadSchema } from './process-load'
import { storeProbeStatsSchema } from './store-probe'

export const readyInfoSchema = z.object({ url: z.string().url() })

export const emulatorPhaseSchema = z.object({
  /** Most streaming responses open at once, sampled every 20 ms: how concurrent the phase really was. */
  peakOpenStreams: z.number(),
  requests: z.number(),
  load: processLoadSchema,
})
export type EmulatorPhase = z.infer<typeof emulatorPhaseSchema>

export const corePhaseSchema = z.object({
  store: storeProbeStatsSchema,
  load: processLoadSchema,
  /** Both should be 0 after a phase: every generation ended and every SSE response closed. */
  liveGenerations: z.number(),
  openStreams: z.number(),
})
export type CorePhase = z.infer<typeof corePhaseSchema>
