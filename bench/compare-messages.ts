// What a relay process of the side-by-side bench reports after a phase. The core's phase report (CorePhase)
// has these fields too, so one schema reads both.
import { z } from 'zod'
import { processLoadSchema } from './process-load'

export const relayPhaseSchema = z.object({
  load: processLoadSchema,
  /** Should be 0 after a phase: every response closed. */
  openStreams: z.number(),
})
export type RelayPhase = z.infer<typeof relayPhaseSchema>
