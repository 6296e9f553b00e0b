// Rewrites in the reply panel: what each is called, how a draft of each kind is folded, and one-step undo.
import { describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/domain'
import { currentDraftMessage, draftFromMessage } from '../../src/renderer/src/state/draft-state'
import { customInstruction, draftKindLabel, rewriteLabel, translation } from '../../src/renderer/src/state/rewrite-instructions'
import { currentDraftAfterUndo, undoableStep, type RewriteStep } from '../../src/renderer/src/state/rewrite-undo'
import { matchGlobalShortcut, isSnippetChord, SHORTCUTS } from '../../src/renderer/src/state/shortcuts'
import { message as baseMessage } from '../helpers/messages'
import { event, fold } from './helpers/draft-events'

const at = '2026-01-01T00:00:00.000Z'
const message = (overrides: Partial<Message>): Message =>
  baseMessage({ role: 'assistant_draft', text: 'text', model: 'gemini-test', finishReason: 'STOP', createdAt: at, updatedAt: at, ...overrides })

describe('rewrite labels', () => {
  it('names the fixed styles, translations (with the detected language) and free instructions', () => {
    expect(rewriteLabel({ kind: 'shorter' })).toBe('Shorter')
    expect(rewriteLabel({ kind: 'formal' })).toBe('More formal')
    expect(rewriteLabel({ kind: 'translate', language: 'customer' }, 'German')).toBe('Translate to German')
    expect(rewriteLabel({ kind: 'translate', language: 'customer' })).toBe('Translate to the customer’s language')
    expect(rewriteLabel({ kind: 'translate', language: 'Polish' }, 'German')).toBe('Translate to Polish')
    expect(rewriteLabel({ kind: 'custom', text: '  mention the warranty ' })).toBe('mention the warranty')
  })

  it('sends nothing for an empty instruction or language', () => {
    expect(customInstruction('   ')).toBeNull()
    expect(customInstruction(' be brief ')).toEqual({ kind: 'custom', text: 'be brief' })
    expect(translation('')).toBeNull()
    expect(translation(' Dutch')).toEqual({ kind: 'translate', language: 'Dutch' })
  })

  it('calls saved drafts in the history by their kind', () => {
    expect(draftKindLabel('reply', null)).toBe('AI draft')
    expect(draftKindLabel('rewrite', 'Make it shorter.')).toBe('Rewrite: Make it shorter.')
    expect(draftKindLabel('summary', null)).toBe('Summary')
  })
})

describe('drafts of each kind in the panel', () => {
  it('takes a rewrite’s kind and instruction from its meta event, and keeps a summary out of the panel', () => {
    const shown = fold([event(5, { type: 'meta', conversationId: 7, messageId: 5, model: 'm' }, 1), event(5, { type: 'delta', text: 'Hi' }, 2)])
    const rewrite = fold([event(6, { type: 'meta', conversationId: 7, messageId: 6, model: 'm', kind: 'rewrite', instruction: 'Shorter' }, 1)], shown)
    expect(rewrite).toMatchObject({ messageId: 6, kind: 'rewrite', instruction: 'Shorter', phase: 'streaming' })
    const summary = fold(
      [event(9, { type: 'meta', conversationId: 7, messageId: 9, model: 'm', kind: 'summary' }, 1), event(9, { type: 'delta', text: 'Issue:' }, 2)],
      shown,
    )
    expect(summary).toBe(shown)
  })

  it('carries kind and instruction from a saved message, and never offers a summary as the current draft', () => {
    expect(draftFromMessage(message({ kind: 'rewrite', instruction: 'Friendlier' }))).toMatchObject({ kind: 'rewrite', instruction: 'Friendlier' })
    const draft = message({ id: 2 })
    expect(currentDraftMessage([message({ id: 1, role: 'customer' }), draft, message({ id: 3, kind: 'summary' })])).toBe(draft)
  })
})

describe('undo of a rewrite', () => {
  const original = message({ id: 2, text: 'The original draft.' })
  const rewritten = message({ id: 3, text: 'Shorter.', kind: 'rewrite', instruction: 'Shorter' })
  const step: RewriteStep = { rewriteId: 3, label: 'Shorter', before: { message: original, text: original.text, edited: false } }

  it('offers undo only for the latest rewrite while it is the draft shown and not streaming', () => {
    expect(undoableStep([step], 3, false)).toBe(step)
    expect(undoableStep([step], 3, true)).toBeNull()
    expect(undoableStep([step], 4, false)).toBeNull()
    expect(undoableStep([], 3, false)).toBeNull()
  })

  it('offers the draft before an undone rewrite again, one step at a time', () => {
    const second = message({ id: 4, text: 'Formal.', kind: 'rewrite' })
    const messages = [message({ id: 1, role: 'customer' }), original, rewritten, second]
    expect(currentDraftAfterUndo(messages, [])).toBe(second)
    expect(currentDraftAfterUndo(messages, [4])).toBe(rewritten)
    expect(currentDraftAfterUndo(messages, [4, 3])).toBe(original)
  })

  it('has Ctrl/⌘+Z outside text fields only, and Ctrl/⌘+/ for snippets, both in the help', () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; code: string }> = {}) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      ...mods,
    })
    expect(matchGlobalShortcut(key('z', { ctrlKey: true }), false, false)).toBe('undo-rewrite')
    expect(matchGlobalShortcut(key('z', { metaKey: true }), true, false)).toBe('undo-rewrite')
    expect(matchGlobalShortcut(key('z', { ctrlKey: true }), false, true)).toBeNull()
    expect(matchGlobalShortcut(key('z', { ctrlKey: true, shiftKey: true }), false, false)).toBeNull()
    expect(isSnippetChord(key('/', { ctrlKey: true }), false)).toBe(true)
    expect(isSnippetChord(key('7', { ctrlKey: true, shiftKey: true, code: 'Slash' }), false)).toBe(true)
    expect(isSnippetChord(key('/'), false)).toBe(false)
    expect(isSnippetChord(key('/', { ctrlKey: true }), true)).toBe(false)
    expect(SHORTCUTS.map((s) => s.id)).toEqual(expect.arrayContaining(['undo-rewrite', 'snippets']))
  })
})
