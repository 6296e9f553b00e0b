// A draft's sources in the panel state (from the live 'sources' event or the saved message), and when a draft from
// the knowledge base is offered instead of Gemini's.
import { describe, expect, it } from 'vitest'
import type { ConversationEvent } from '../../src/shared/api'
import type { DraftError, ErrorKind, Message } from '../../src/shared/domain'
import { OFFLINE_DRAFT_MODEL, type DraftSource } from '../../src/shared/knowledge'
import { draftReducer, initialDraftState, type DraftState } from '../../src/renderer/src/state/draft-state'
import { isOfflineDraft, offlineDraftReason } from '../../src/renderer/src/state/offline-draft'
import { message } from '../helpers/messages'
import { events, fold } from './helpers/draft-events'

const source = (n: number): DraftSource => ({
  n,
  passageId: 40 + n,
  path: `policies/p${n}.md`,
  title: `Policy ${n}`,
  heading: ['Terms'],
  text: `Text ${n}`,
})

const grounded = (messageId: number, sources: DraftSource[]): ConversationEvent[] =>
  events(messageId, [
    { type: 'meta', conversationId: 7, messageId, model: 'gemini-test' },
    { type: 'sources', sources },
    { type: 'delta', text: 'Thirty days [1].' },
    { type: 'end', status: 'complete', finishReason: 'STOP', error: null, firstTokenMs: 90, durationMs: 300 },
  ])

const draftMessage = (overrides: Partial<Message>): Message =>
  message({ id: 9, role: 'assistant_draft', text: 'Thirty days [1].', model: 'gemini-test', finishReason: 'STOP', ...overrides })

describe('sources in the draft state', () => {
  it('takes a live draft’s sources from its sources event, before any text', () => {
    const list = grounded(5, [source(1), source(2)])
    const afterSources = fold(list.slice(0, 2))
    expect(afterSources).toMatchObject({ phase: 'streaming', text: '', lastSeq: 2 })
    expect(afterSources.sources.map((s) => s.n)).toEqual([1, 2])
    expect(fold(list)).toMatchObject({ phase: 'ended', text: 'Thirty days [1].', sources: [source(1), source(2)] })
  })

  it('ignores a replayed sources event and another draft’s', () => {
    const done = fold(grounded(5, [source(1)]))
    const replayed = fold(grounded(5, [source(1)]), done)
    expect(replayed).toBe(done)
    const stray: ConversationEvent = { messageId: 4, event: { seq: 9, type: 'sources', sources: [source(3)] } }
    expect(draftReducer(done, { type: 'event', event: stray })).toBe(done)
  })

  it('starts a new draft without the previous one’s sources', () => {
    const first = fold(grounded(5, [source(1)]))
    const next = fold(events(6, [{ type: 'meta', conversationId: 7, messageId: 6, model: 'gemini-test' }]), first)
    expect(next.sources).toEqual([])
  })

  it('has no sources for a draft that was not grounded', () => {
    const plain = fold(
      events(5, [
        { type: 'meta', conversationId: 7, messageId: 5, model: 'gemini-test' },
        { type: 'delta', text: 'Hi' },
      ]),
    )
    expect(plain.sources).toEqual([])
  })

  it('takes a saved draft’s sources from its message', () => {
    const loaded = draftReducer(initialDraftState, { type: 'loaded', message: draftMessage({ sources: [source(2)] }) })
    expect(loaded).toMatchObject({ phase: 'ended', messageId: 9, sources: [source(2)] })
  })

  it('shows an offline draft with its sources, as one', () => {
    const message = draftMessage({ id: 11, model: OFFLINE_DRAFT_MODEL, kind: 'offline', sources: [source(1)] })
    const ended = fold(grounded(5, []))
    const loaded = draftReducer(ended, { type: 'loaded', message })
    expect(loaded).toMatchObject({ messageId: 11, model: OFFLINE_DRAFT_MODEL, sources: [source(1)] })
    expect(isOfflineDraft(loaded)).toBe(true)
    expect(isOfflineDraft(ended)).toBe(false)
  })
})

describe('offering a draft from the knowledge base', () => {
  const failed = (kind: ErrorKind): DraftState => {
    const error: DraftError = { kind, retryable: true, message: 'failed' }
    return fold(
      events(5, [
        { type: 'meta', conversationId: 7, messageId: 5, model: 'gemini-test' },
        { type: 'end', status: 'error', finishReason: null, error, firstTokenMs: null, durationMs: 20 },
      ]),
    )
  }

  it('offers it without an API key', () => {
    expect(offlineDraftReason(initialDraftState, false)).toBe('There is no Gemini API key.')
  })

  it('offers it when Gemini cannot be reached, refuses the key or is out of quota', () => {
    expect(offlineDraftReason(failed('network'), true)).toBe('Gemini cannot be reached.')
    expect(offlineDraftReason(failed('auth'), true)).toBe('Gemini refused the API key.')
    expect(offlineDraftReason(failed('quota'), true)).toBe('The Gemini usage limit is reached.')
  })

  it('does not offer it when Gemini works, or failed in a way that retrying may fix', () => {
    expect(offlineDraftReason(initialDraftState, true)).toBeNull()
    expect(offlineDraftReason(fold(grounded(5, [source(1)])), true)).toBeNull()
    for (const kind of ['overloaded', 'timeout', 'blocked', 'cancelled', 'invalid-input', 'storage'] as const) {
      expect(offlineDraftReason(failed(kind), true), kind).toBeNull()
    }
  })

  it('does not offer it while a draft is under way, or when the draft shown already is one', () => {
    const starting = draftReducer(initialDraftState, { type: 'requested' })
    expect(offlineDraftReason(starting, false)).toBeNull()
    const offline = draftReducer(initialDraftState, { type: 'loaded', message: draftMessage({ model: OFFLINE_DRAFT_MODEL, kind: 'offline' }) })
    expect(offlineDraftReason(offline, false)).toBeNull()
  })
})
