// The conversation summary as it streams: only a summary's events are folded, replays change nothing.
import { describe, expect, it } from 'vitest'
import type { ConversationEvent } from '../../src/shared/api'
import type { GenerationEvent } from '../../src/shared/generation-events'
import { initialSummaryState, isSummarizing, summaryReducer, type SummaryState } from '../../src/renderer/src/state/summary-state'

const event = (messageId: number, body: Record<string, unknown>, seq: number): ConversationEvent => ({
  messageId,
  event: { ...body, seq } as GenerationEvent,
})
const end = { type: 'end', status: 'complete', finishReason: 'STOP', error: null, firstTokenMs: 5, durationMs: 9 }
const fold = (list: ConversationEvent[], from: SummaryState = initialSummaryState): SummaryState =>
  list.reduce((state, e) => summaryReducer(state, { type: 'event', event: e }), from)

describe('summaryReducer', () => {
  const summary = [
    event(4, { type: 'meta', conversationId: 1, messageId: 4, model: 'm', kind: 'summary' }, 1),
    event(4, { type: 'delta', text: 'Issue: ' }, 2),
    event(4, { type: 'delta', text: 'late parcel.' }, 3),
    event(4, end, 4),
  ]

  it('folds a summary’s text and ends it', () => {
    const streaming = fold(summary.slice(0, 3), summaryReducer(initialSummaryState, { type: 'requested' }))
    expect(streaming).toMatchObject({ phase: 'streaming', messageId: 4, text: 'Issue: late parcel.' })
    expect(isSummarizing(streaming)).toBe(true)
    const done = fold(summary.slice(3), streaming)
    expect(done).toMatchObject({ phase: 'ended', status: 'complete', text: 'Issue: late parcel.' })
    // A replay of the same events changes nothing.
    expect(fold(summary.slice(1), done)).toEqual(done)
  })

  it('ignores a reply draft or a rewrite on the same events', () => {
    const draft = [event(5, { type: 'meta', conversationId: 1, messageId: 5, model: 'm' }, 1), event(5, { type: 'delta', text: 'Dear' }, 2)]
    expect(fold(draft)).toEqual(initialSummaryState)
    expect(fold([event(6, { type: 'meta', conversationId: 1, messageId: 6, model: 'm', kind: 'rewrite' }, 1)])).toEqual(initialSummaryState)
  })

  it('follows the message the API said it started even when its meta does not say summary', () => {
    const started = summaryReducer(summaryReducer(initialSummaryState, { type: 'requested' }), { type: 'started', messageId: 8 })
    const after = fold(
      [event(8, { type: 'meta', conversationId: 1, messageId: 8, model: 'm' }, 1), event(8, { type: 'delta', text: 'x' }, 2)],
      started,
    )
    expect(after).toMatchObject({ phase: 'streaming', messageId: 8, text: 'x' })
  })

  it('says why it could not start, and ends a failed summary with its error', () => {
    expect(summaryReducer(initialSummaryState, { type: 'request-failed', message: 'No API key.' })).toMatchObject({
      phase: 'ended',
      status: 'error',
      error: 'No API key.',
    })
    const failed = fold([summary[0]!, event(4, { ...end, status: 'error', error: { kind: 'network', retryable: true, message: 'Offline.' } }, 2)])
    expect(failed).toMatchObject({ phase: 'ended', status: 'error', error: 'Offline.' })
  })
})
