// A draft's live events as the console receives them, and the draft panel's state after them.
import type { ConversationEvent } from '../../../src/shared/api'
import type { GenerationEvent } from '../../../src/shared/generation-events'
import { draftReducer, initialDraftState, type DraftState } from '../../../src/renderer/src/state/draft-state'

/** A generation event without its sequence number (each variant of the union on its own). */
export type EventBody = GenerationEvent extends infer E ? (E extends unknown ? Omit<E, 'seq'> : never) : never

export const event = (messageId: number, body: EventBody, seq: number): ConversationEvent => ({
  messageId,
  event: { ...body, seq } as GenerationEvent,
})

/** The bodies as one message's events, numbered from 1 in order. */
export const events = (messageId: number, bodies: readonly EventBody[]): ConversationEvent[] => bodies.map((body, i) => event(messageId, body, i + 1))

/** The panel's state after `list`, from `from`. */
export const fold = (list: ConversationEvent[], from: DraftState = initialDraftState): DraftState =>
  list.reduce((state, e) => draftReducer(state, { type: 'event', event: e }), from)
