// Snippets in the reply editor: where the picker opens, what it matches, and placeholders filled where known.
import { describe, expect, it } from 'vitest'
import type { Snippet } from '../../src/shared/steering'
import { filterSnippets, movePickerIndex, pickerQuery, replaceRange, slashAnchor } from '../../src/renderer/src/state/snippet-picker'
import { fillPlaceholders } from '../../src/renderer/src/state/snippet-placeholders'

const snippet = (id: number, title: string, body: string, shortcut: string | null = null): Snippet => ({
  id,
  title,
  body,
  shortcut,
  updatedAt: '2026-01-01T00:00:00.000Z',
})

describe('fillPlaceholders', () => {
  it('fills the placeholders it knows and leaves the text around them as it is', () => {
    expect(fillPlaceholders('About “{conversation_title}”, {agent_name} here.', { conversation_title: 'Late parcel', agent_name: 'Sam' })).toEqual({
      text: 'About “Late parcel”, Sam here.',
      unfilled: null,
    })
  })

  it('leaves an unknown value visible and points at the first one left, in the filled text', () => {
    const filled = fillPlaceholders('Hi {customer_name}, this is {agent_name} about {conversation_title}.', {
      conversation_title: 'Refund',
      customer_name: null,
      agent_name: '  ',
    })
    expect(filled.text).toBe('Hi {customer_name}, this is {agent_name} about Refund.')
    expect(filled.unfilled).toEqual({ start: 3, end: 3 + '{customer_name}'.length })
    expect(filled.text.slice(filled.unfilled!.start, filled.unfilled!.end)).toBe('{customer_name}')
  })

  it('counts offsets after values of another length, and keeps placeholders it does not know', () => {
    const filled = fillPlaceholders('{conversation_title}: {order_id} and {customer_name}', { conversation_title: 'A much longer title' })
    expect(filled.text).toBe('A much longer title: {order_id} and {customer_name}')
    expect(filled.text.slice(filled.unfilled!.start, filled.unfilled!.end)).toBe('{order_id}')
  })

  it('does not treat JSON-like or empty braces as placeholders, nor inherited names', () => {
    // `constructor` is a name every object inherits: still not a placeholder the console fills.
    expect(fillPlaceholders('{} { spaced } {"a":1} {constructor}', { conversation_title: 'x' })).toEqual({
      text: '{} { spaced } {"a":1} {constructor}',
      unfilled: { start: 22, end: 35 },
    })
    expect(fillPlaceholders('plain text', { conversation_title: 'x' })).toEqual({ text: 'plain text', unfilled: null })
  })
})

describe('slashAnchor and pickerQuery', () => {
  it('opens on a slash at the start of the text, of a line or of a word', () => {
    expect(slashAnchor('/', 1)).toEqual({ start: 0, slash: true })
    expect(slashAnchor('Thanks /ref', 11)).toEqual({ start: 7, slash: true })
    expect(slashAnchor('Hi\n/re', 6)).toEqual({ start: 3, slash: true })
  })

  it('does not open on a slash inside a word, a URL or after the word ended', () => {
    expect(slashAnchor('and/or', 6)).toBeNull()
    expect(slashAnchor('see https://example.com/x', 25)).toBeNull()
    expect(slashAnchor('/ref done', 9)).toBeNull()
    expect(slashAnchor('no slash', 8)).toBeNull()
  })

  it('reads what was typed after the slash up to the cursor, and gives up on a space or when the cursor leaves', () => {
    const anchor = { start: 7, slash: true }
    expect(pickerQuery('Thanks /ref', 11, anchor)).toBe('ref')
    expect(pickerQuery('Thanks /', 8, anchor)).toBe('')
    expect(pickerQuery('Thanks /ref more', 16, anchor)).toBeNull()
    expect(pickerQuery('Thanks /ref', 5, anchor)).toBeNull()
    // The slash was deleted.
    expect(pickerQuery('Thanks ref', 10, anchor)).toBeNull()
  })

  it('opened by the shortcut, it reads from the cursor where it was opened', () => {
    const anchor = { start: 4, slash: false }
    expect(pickerQuery('abc ', 4, anchor)).toBe('')
    expect(pickerQuery('abc ref', 7, anchor)).toBe('ref')
    expect(pickerQuery('abc', 3, anchor)).toBeNull()
  })
})

describe('filterSnippets', () => {
  const all = [
    snippet(1, 'Refund policy', 'You can return items within 30 days.', 'refund'),
    snippet(2, 'Greeting', 'Hi {customer_name}!', 'hi'),
    snippet(3, 'Shipping delay', 'Your parcel is delayed; we will refund shipping.'),
    snippet(4, 'Apology', 'Sorry for the trouble.', 'sorry'),
  ]

  it('lists them all by title for an empty query, up to the limit', () => {
    expect(filterSnippets(all, '').map((s) => s.id)).toEqual([4, 2, 1, 3])
    expect(filterSnippets(all, '', 2).map((s) => s.id)).toEqual([4, 2])
  })

  it('ranks an exact shortcut first, then prefixes, then words inside the title, then the body', () => {
    expect(filterSnippets(all, 'refund').map((s) => s.id)).toEqual([1, 3])
    expect(filterSnippets(all, 'SH').map((s) => s.id)).toEqual([3])
    expect(filterSnippets(all, 'delay').map((s) => s.id)).toEqual([3])
    expect(filterSnippets(all, 'trouble').map((s) => s.id)).toEqual([4])
    expect(filterSnippets(all, 'zzz')).toEqual([])
  })
})

describe('movePickerIndex and replaceRange', () => {
  it('moves with the arrows, wrapping at both ends', () => {
    expect(movePickerIndex(0, 3, 'ArrowDown')).toBe(1)
    expect(movePickerIndex(2, 3, 'ArrowDown')).toBe(0)
    expect(movePickerIndex(0, 3, 'ArrowUp')).toBe(2)
    expect(movePickerIndex(1, 3, 'End')).toBe(2)
    expect(movePickerIndex(1, 3, 'a')).toBeNull()
    expect(movePickerIndex(0, 0, 'ArrowDown')).toBeNull()
  })

  it('replaces what was typed for the picker with the snippet, keeping the text after the cursor', () => {
    expect(replaceRange('Thanks /ref and bye', 7, 11, 'Refunds take 5 days.')).toEqual({ text: 'Thanks Refunds take 5 days. and bye', insertedAt: 7 })
    expect(replaceRange('ab', 1, 1, 'X')).toEqual({ text: 'aXb', insertedAt: 1 })
  })
})
