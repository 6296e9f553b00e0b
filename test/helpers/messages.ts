// A saved message as the API returns it, for tests that build transcripts by hand: every field set, so a test
// names only what it is about.
import type { Message } from '../../src/shared/domain'

/** A complete customer message "hello" in conversation 7, with `overrides` on top. */
export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 1,
    conversationId: 7,
    role: 'customer',
    text: 'hello',
    status: 'complete',
    source: 'app',
    model: null,
    usage: { promptTokens: null, outputTokens: null, totalTokens: null },
    firstTokenMs: null,
    durationMs: null,
    finishReason: null,
    errorKind: null,
    errorMessage: null,
    kind: 'reply',
    instruction: null,
    feedback: null,
    sources: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  }
}
