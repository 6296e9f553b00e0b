// How the console tells the agent that a draft is not a whole reply (cut off, the stream ended early) or could
// not be saved (a full disk), live from the end event and again from the saved transcript.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/shared/api'
import type { Message } from '../../src/shared/domain'
import type { GenerationEvent } from '../../src/shared/generation-events'
import { savedTruncationNotice } from '../../src/shared/truncation'
import { describeError, describeSaveError, isStorageError } from '../../src/renderer/src/api/errors'
import { describeDraftProblem } from '../../src/renderer/src/state/draft-errors'
import { draftFromMessage, draftReducer, initialDraftState, type DraftState } from '../../src/renderer/src/state/draft-state'
import { message } from '../helpers/messages'
import { events, fold } from './helpers/draft-events'

type EndEvent = Extract<GenerationEvent, { type: 'end' }>

function streamed(end: Partial<EndEvent>): DraftState {
  const bodies = [
    { type: 'meta', conversationId: 7, messageId: 3, model: 'gemini-test' },
    { type: 'delta', text: 'Your parcel left the depot and' },
    { type: 'end', status: 'complete', finishReason: 'STOP', error: null, firstTokenMs: 80, durationMs: 400, ...end },
  ] as const
  return fold(events(3, bodies))
}

const savedDraft = (overrides: Partial<Message>): Message =>
  message({
    id: 3,
    role: 'assistant_draft',
    text: 'Your parcel left the depot and',
    model: 'gemini-test',
    usage: { promptTokens: 10, outputTokens: 6, totalTokens: 16 },
    firstTokenMs: 80,
    durationMs: 400,
    finishReason: 'STOP',
    ...overrides,
  })

describe('a truncated draft', () => {
  it('keeps the notice the end event carries, and the partial text', () => {
    const notice = { reason: 'length' as const, message: 'Gemini cut this draft off at the length limit.' }
    const state = streamed({ status: 'truncated', finishReason: 'MAX_TOKENS', truncation: notice })
    expect(state).toMatchObject({ phase: 'ended', status: 'truncated', truncation: notice, text: 'Your parcel left the depot and' })
  })

  it('derives the notice from finishReason when the end event has none', () => {
    expect(streamed({ status: 'truncated', finishReason: null }).truncation?.reason).toBe('ended-early')
    expect(streamed({ status: 'truncated', finishReason: 'OTHER' }).truncation?.reason).toBe('other')
  })

  it('has no notice when it finished, failed or was stopped', () => {
    expect(streamed({}).truncation).toBeNull()
    expect(streamed({ status: 'stopped', error: { kind: 'cancelled', retryable: true, message: 'Stopped.' } }).truncation).toBeNull()
  })

  it.each([
    ['MAX_TOKENS', 'length', /length limit/],
    [null, 'ended-early', /stream ended early/],
    ['OTHER', 'other', /\(OTHER\)/],
  ] as const)('reopened from the transcript with finishReason %s: %s', (finishReason, reason, sentence) => {
    const state = draftFromMessage(savedDraft({ status: 'truncated', finishReason }))
    expect(state).toMatchObject({ phase: 'ended', status: 'truncated', error: null, truncation: { reason } })
    expect(state.truncation?.message).toMatch(sentence)
    expect(draftReducer(initialDraftState, { type: 'loaded', message: savedDraft({ status: 'truncated', finishReason }) }).truncation?.reason).toBe(
      reason,
    )
  })

  it('a saved complete draft is not cut off', () => {
    expect(draftFromMessage(savedDraft({})).truncation).toBeNull()
  })

  it('is described as a warning that offers Regenerate, never as finished', () => {
    const problem = describeDraftProblem('truncated', null, savedTruncationNotice('MAX_TOKENS'))
    expect(problem).toMatchObject({ title: 'Cut off at the length limit', tone: 'warning', action: 'regenerate' })
    expect(problem?.message).toMatch(/^Gemini cut this draft off at the length limit/)
    expect(describeDraftProblem('truncated', null, savedTruncationNotice(null))).toMatchObject({
      title: 'Ended before it finished',
      action: 'regenerate',
    })
    expect(describeDraftProblem('truncated', null, savedTruncationNotice(null))?.message).toMatch(/^The stream ended early/)
    // Even without its notice, a truncated draft is never shown as done.
    expect(describeDraftProblem('truncated', null)).toMatchObject({ tone: 'warning', action: 'regenerate' })
  })
})

describe('savedTruncationNotice', () => {
  it('maps a saved finishReason to its reason: MAX_TOKENS length, none ended early, anything else other', () => {
    expect(savedTruncationNotice('MAX_TOKENS').reason).toBe('length')
    expect(savedTruncationNotice(null).reason).toBe('ended-early')
    expect(savedTruncationNotice('RECITATION').reason).toBe('other')
    expect(savedTruncationNotice('FINISH_REASON_UNSPECIFIED').reason).toBe('other')
    // A saved STOP is not truncated; if one is, it must still not read as finished.
    expect(savedTruncationNotice('STOP').reason).toBe('other')
  })
})

describe('a storage failure', () => {
  const storage = {
    kind: 'storage' as const,
    retryable: true,
    message: 'This draft could not be saved: the disk is full. The text is kept in memory and will be saved as soon as writing works again.',
  }

  it('is a draft error of its own, with a hint and no Retry that drafting again could not keep', () => {
    const problem = describeDraftProblem('error', storage)
    expect(problem).toMatchObject({ title: 'The draft could not be saved', message: storage.message, action: null, tone: 'error' })
    expect(problem?.hint).toMatch(/Free some disk space/)
    expect(problem?.hint).toMatch(/saved automatically when writing works again/)
  })

  it('is also how a reopened draft whose result is still unsaved reads', () => {
    const state = draftFromMessage(savedDraft({ status: 'error', errorKind: 'storage', errorMessage: storage.message }))
    expect(describeDraftProblem(state.status, state.error, state.truncation)).toMatchObject({ title: 'The draft could not be saved', action: null })
  })

  it('says a message or reply that could not be written was NOT saved', () => {
    const refused = new ApiError('internal', 'Support Console could not write to its database: the disk is full.')
    Object.defineProperty(refused, 'code', { value: 'storage' })
    expect(isStorageError(refused)).toBe(true)
    expect(isStorageError({ code: 'storage', message: 'plain object across IPC' })).toBe(true)
    const text = describeSaveError(refused, 'The reply')
    expect(text).toMatch(/^The reply was not saved \(it is still here\)\. Support Console could not write/)
    expect(text.replace(/not saved/g, '')).not.toMatch(/\bsaved\b/)
  })

  it('leaves other refusals in their own words', () => {
    const other = new ApiError('invalid-input', 'The message is too long.')
    expect(isStorageError(other)).toBe(false)
    expect(describeSaveError(other, 'The reply')).toBe(describeError(other))
  })
})
