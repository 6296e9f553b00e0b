// What several areas of the API check or do to a conversation before they touch it: that it exists, that its id
// (from a caller that is not a declared method) parses, and that a live draft in it has stopped.
import { ApiError } from '../../../shared/api'
import type { Conversation } from '../../../shared/domain'
import { conversationId as idSchema } from '../../../shared/schemas'
import type { TranscriptStore } from '../store/transcript-store'
import type { Generation } from '../streaming/generation'
import { parseInput } from './api-errors'

export const conversationNotFound = (id: number): ApiError => new ApiError('not-found', `Conversation ${id} does not exist.`)

/** The conversation, or not-found: checked once, before anything is written. */
export function existingConversation(store: TranscriptStore, id: number): Conversation {
  const conversation = store.getConversation(id)
  if (!conversation) throw conversationNotFound(id)
  return conversation
}

/** A conversation id from a caller outside the declared methods (their arguments are parsed at the entry). */
export function parseConversationId(value: unknown): number {
  return parseInput(idSchema, value, 'conversation id')
}

/** Stops a live draft and resolves once it has ended (saved, its listeners told). */
export function stopAndWait(generation: Generation): Promise<void> {
  return new Promise((resolve) => {
    generation.onEnded(resolve)
    generation.stop('agent')
  })
}
