import { describe, expect, it } from 'vitest'
import type { ConversationEvent } from '../../src/shared/api'
import type { Message } from '../../src/shared/domain'
import type { GenerationEvent } from '../../src/shared/generation-events'
import {
  currentDraftMessage,
  draftReducer,
  initialDraftState,
  isDrafting,
  type DraftAction,
  type DraftState,
} from '../../src/renderer/src/state/draft-state'
import { message } from '../helpers/messages'
import { events, fold } from './helpers/draft-events'

const generation = (messageId: number, texts: string[], end: Partial<Extract<GenerationEvent, { type: 'end' }>> = {}): ConversationEvent[] =>
  events(messageId, [
    { type: 'meta', conversationId: 7, messageId, model: 'gemini-test' },
    ...texts.map((text) => ({ type: 'delta' as const, text })),
    { type: 'usage', usage: { promptTokens: 10, outputTokens: 4, totalTokens: 14 } },
    { type: 'end', status: 'complete', finishReason: 'STOP', error: null, firstTokenMs: 100, durationMs: 600, ...end },
  ])

describe('draftReducer', () => {
  it('folds a whole generation into the finished draft', () => {
    const list = generation(5, ['Hel', 'lo ', 'there'])
    const streaming = fold(list.slice(0, 3))
    expect(streaming).toMatchObject({ phase: 'streaming', messageId: 5, model: 'gemini-test', text: 'Hello ' })
    expect(isDrafting(streaming)).toBe(true)
    const done = fold(list)
    expect(done).toMatchObject({
      phase: 'ended',
      status: 'complete',
      text: 'Hello there',
      usage: { promptTokens: 10, outputTokens: 4, totalTokens: 14 },
      firstTokenMs: 100,
      durationMs: 600,
      error: null,
    })
    expect(isDrafting(done)).toBe(false)
  })

  it('ignores a replay of events it has seen: a late subscriber ends with the same text', () => {
    const list = generation(5, ['a', 'b', 'c'])
    const watchedPart = fold(list.slice(0, 3))
    // The subscription is re-established and the live draft is replayed from its start.
    const afterReplay = fold(list, watchedPart)
    expect(afterReplay.text).toBe('abc')
    expect(afterReplay).toEqual(fold(list))
  })

  it('keeps merged deltas (one event carrying several chunks) in order', () => {
    const merged = events(9, [
      { type: 'meta', conversationId: 7, messageId: 9, model: 'm' },
      { type: 'delta', text: 'one two ' },
      { type: 'delta', text: 'three' },
    ])
    expect(fold(merged).text).toBe('one two three')
  })

  it('starts over on a new draft and ignores stray events of an older one', () => {
    const first = fold(generation(5, ['old text']))
    const second = fold(
      events(6, [
        { type: 'meta', conversationId: 7, messageId: 6, model: 'm' },
        { type: 'delta', text: 'new' },
      ]),
      first,
    )
    expect(second).toMatchObject({ messageId: 6, text: 'new', phase: 'streaming', status: null, usage: null })
    const stray = draftReducer(second, { type: 'event', event: { messageId: 5, event: { seq: 99, type: 'delta', text: 'zzz' } } })
    expect(stray).toBe(second)
  })

  it('keeps the partial text when the draft ends in an error', () => {
    const error = {
      kind: 'network' as const,
      retryable: true,
      message: 'The connection to Gemini was lost while the draft was streaming. Try again.',
    }
    const state = fold(generation(5, ['Partial ', 'answer'], { status: 'error', error, finishReason: null }))
    expect(state).toMatchObject({ phase: 'ended', status: 'error', text: 'Partial answer', error })
  })

  it('goes back to the previous draft when a request is refused', () => {
    const done = fold(generation(5, ['kept']))
    const asked = draftReducer(done, { type: 'requested' })
    expect(asked.phase).toBe('starting')
    expect(isDrafting(asked)).toBe(true)
    const refused = draftReducer(asked, { type: 'request-failed', message: 'A draft is already streaming' })
    expect(refused).toMatchObject({ phase: 'ended', text: 'kept', requestError: 'A draft is already streaming' })
    const fromIdle = draftReducer(draftReducer(initialDraftState, { type: 'requested' }), { type: 'request-failed', message: 'no' })
    expect(fromIdle.phase).toBe('idle')
  })

  it('clears a previous request error when a new request starts', () => {
    const refused = draftReducer(initialDraftState, { type: 'request-failed', message: 'no' })
    expect(draftReducer(refused, { type: 'requested' }).requestError).toBeNull()
  })

  describe('loaded (the transcript’s current draft)', () => {
    const saved = message({
      id: 12,
      role: 'assistant_draft',
      text: 'Saved draft',
      status: 'stopped',
      model: 'gemini-x',
      errorKind: 'cancelled',
      errorMessage: 'Stopped by the agent.',
      usage: { promptTokens: 3, outputTokens: 2, totalTokens: 5 },
      firstTokenMs: 50,
      durationMs: 80,
    })
    const load = (state: DraftState, m: Message | null): DraftState => draftReducer(state, { type: 'loaded', message: m } satisfies DraftAction)

    it('shows a saved draft with its figures and error', () => {
      expect(load(initialDraftState, saved)).toMatchObject({
        phase: 'ended',
        messageId: 12,
        text: 'Saved draft',
        status: 'stopped',
        model: 'gemini-x',
        error: { kind: 'cancelled', retryable: true, message: 'Stopped by the agent.' },
        durationMs: 80,
      })
    })

    it('marks auth, blocked and invalid-input errors as not retryable', () => {
      const state = load(initialDraftState, { ...saved, status: 'error', errorKind: 'auth', errorMessage: 'No key' })
      expect(state.error).toEqual({ kind: 'auth', retryable: false, message: 'No key' })
    })

    it('explains an interrupted draft', () => {
      const state = load(initialDraftState, { ...saved, status: 'interrupted', errorKind: null, errorMessage: null })
      expect(state.status).toBe('interrupted')
      expect(state.error?.message).toMatch(/cut off/)
    })

    it('leaves a streaming or starting draft to its events', () => {
      const streaming = fold(generation(12, ['live']).slice(0, 2))
      expect(load(streaming, { ...saved, status: 'streaming' })).toBe(streaming)
      expect(load(streaming, null)).toBe(streaming)
      const starting = draftReducer(initialDraftState, { type: 'requested' })
      expect(load(starting, saved)).toBe(starting)
    })

    it('takes the saved result of a draft whose end it missed', () => {
      const streaming = fold(generation(12, ['live']).slice(0, 2))
      expect(load(streaming, saved)).toMatchObject({ phase: 'ended', text: 'Saved draft', status: 'stopped' })
    })

    it('keeps the event-built state of the same finished draft, and empties when there is none', () => {
      const done = fold(generation(12, ['from events']))
      expect(load(done, saved)).toBe(done)
      expect(load(done, null)).toEqual(initialDraftState)
    })
  })

  it('clears', () => {
    expect(draftReducer(fold(generation(5, ['x'])), { type: 'cleared' })).toEqual(initialDraftState)
  })
})

describe('currentDraftMessage', () => {
  const customer = message({ id: 1, role: 'customer' })
  const draft = message({ id: 2, role: 'assistant_draft', text: 'draft' })
  const agent = message({ id: 3, role: 'agent', text: 'sent' })
  const note = message({ id: 4, role: 'system_note', text: 'note' })

  it('is the last draft when nothing was said after it', () => {
    expect(currentDraftMessage([customer, draft])).toBe(draft)
    expect(currentDraftMessage([customer, draft, note])).toBe(draft)
  })

  it('is none once the agent replied or the customer wrote again', () => {
    expect(currentDraftMessage([customer, draft, agent])).toBeNull()
    expect(currentDraftMessage([customer, draft, { ...customer, id: 5 }])).toBeNull()
    expect(currentDraftMessage([])).toBeNull()
  })
})

describe('a started draft whose events never arrive', () => {
  const saved = message({ id: 30, role: 'assistant_draft', text: 'Quick reply', status: 'complete', model: 'm' })

  it('is taken from the transcript once it is saved as finished', () => {
    let state = draftReducer(initialDraftState, { type: 'requested' })
    state = draftReducer(state, { type: 'started', messageId: 30 })
    expect(state).toMatchObject({ phase: 'starting', pendingMessageId: 30 })
    expect(draftReducer(state, { type: 'loaded', message: { ...saved, status: 'streaming' } })).toBe(state)
    expect(draftReducer(state, { type: 'loaded', message: { ...saved, id: 29 } })).toBe(state)
    expect(draftReducer(state, { type: 'loaded', message: saved })).toMatchObject({
      phase: 'ended',
      messageId: 30,
      text: 'Quick reply',
      pendingMessageId: null,
    })
  })

  it('is not needed when the events came first', () => {
    const streaming = fold(generation(30, ['x']).slice(0, 2), draftReducer(initialDraftState, { type: 'requested' }))
    expect(draftReducer(streaming, { type: 'started', messageId: 30 })).toBe(streaming)
  })
})
