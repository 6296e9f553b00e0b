import { describe, expect, it } from 'vitest'
import type { IntegrationKeyView } from '../../src/shared/integration-keys'
import { checkNewKey, lastUsedText, scopesInWords, withKey, withoutKey, withScope } from '../../src/renderer/src/state/integration-keys'

const key = (id: string, createdAt: string, name = id): IntegrationKeyView => ({
  id,
  name,
  scopes: ['stream'],
  prefix: 'sck_abcdef',
  createdAt,
  lastUsedAt: null,
})

describe('integration keys in Settings', () => {
  it('reads scopes as words, in the canonical order whatever order they came in', () => {
    expect(scopesInWords(['stream'])).toBe('stream drafts')
    expect(scopesInWords(['export', 'stream', 'read'])).toBe('stream drafts, read transcripts, export')
  })

  it('says "never" for a key no request has used, and how long ago otherwise', () => {
    const now = new Date('2026-03-12T15:00:00Z')
    expect(lastUsedText(null, now)).toBe('never')
    expect(lastUsedText('2026-03-12T14:55:00Z', now)).toBe('5 min ago')
    expect(lastUsedText('2026-03-12T14:59:40Z', now)).toBe('just now')
    expect(lastUsedText('not a date', now)).toBe('unknown')
  })

  it('ticks and clears scopes, keeping the canonical order and no duplicates', () => {
    expect(withScope([], 'export', true)).toEqual(['export'])
    expect(withScope(['export'], 'stream', true)).toEqual(['stream', 'export'])
    expect(withScope(['stream', 'export'], 'stream', true)).toEqual(['stream', 'export'])
    expect(withScope(['stream', 'export'], 'stream', false)).toEqual(['export'])
  })

  it('asks for a name and a scope, in sentences, before calling the API', () => {
    expect(checkNewKey({ name: '', scopes: [] })).toEqual({ errors: { name: 'Name must not be empty.', scopes: 'Give the key at least one scope.' } })
    expect(checkNewKey({ name: '   ', scopes: ['read'] })).toEqual({ errors: { name: 'Name must not be empty.' } })
    expect(checkNewKey({ name: '<script>', scopes: ['read'] })).toEqual({
      errors: { name: 'Name may hold letters, digits, spaces and . _ : / @ + - only.' },
    })
    expect(checkNewKey({ name: 'x'.repeat(65), scopes: ['read'] })).toMatchObject({ errors: { name: expect.stringMatching(/longer than 64/) } })
  })

  it('sends a valid key trimmed, with its scopes in order', () => {
    expect(checkNewKey({ name: '  Helpdesk  ', scopes: ['export', 'stream'] })).toEqual({ input: { name: 'Helpdesk', scopes: ['stream', 'export'] } })
  })

  it('adds a created key in creation order once, and drops a revoked one', () => {
    const a = key('a', '2026-03-12T10:00:00Z')
    const b = key('b', '2026-03-12T11:00:00Z')
    const c = key('c', '2026-03-12T12:00:00Z')
    expect(withKey([a, c], b).map((k) => k.id)).toEqual(['a', 'b', 'c'])
    // The list was reloaded with the new key already in it: not listed twice.
    expect(withKey([a, b], { ...b, name: 'renamed' }).map((k) => [k.id, k.name])).toEqual([
      ['a', 'a'],
      ['b', 'renamed'],
    ])
    expect(withoutKey([a, b, c], 'b').map((k) => k.id)).toEqual(['a', 'c'])
    expect(withoutKey([a], 'zzz')).toEqual([a])
  })
})
