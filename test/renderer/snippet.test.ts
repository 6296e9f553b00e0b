import { describe, expect, it } from 'vitest'
import { splitSnippet } from '../../src/renderer/src/state/snippet'
import { HIT_END, HIT_START } from '../../src/shared/search-markers'

const hit = (s: string): string => `${HIT_START}${s}${HIT_END}`

describe('splitSnippet', () => {
  it('splits text and hits', () => {
    expect(splitSnippet(`…where is my ${hit('parcel')}? It was ${hit('sent')} Monday`)).toEqual([
      { text: '…where is my ', hit: false },
      { text: 'parcel', hit: true },
      { text: '? It was ', hit: false },
      { text: 'sent', hit: true },
      { text: ' Monday', hit: false },
    ])
  })

  it('keeps markup-looking text as plain text', () => {
    expect(splitSnippet(`<img src=x onerror=alert(1)> ${hit('<b>')}`)).toEqual([
      { text: '<img src=x onerror=alert(1)> ', hit: false },
      { text: '<b>', hit: true },
    ])
  })

  it('copes with markers cut off by the snippet window', () => {
    expect(splitSnippet(`tail of a hit${HIT_END} and ${HIT_START}start`)).toEqual([
      { text: 'tail of a hit and ', hit: false },
      { text: 'start', hit: true },
    ])
    expect(splitSnippet(`${HIT_START}${HIT_END}`)).toEqual([])
  })

  it('handles astral characters', () => {
    expect(splitSnippet(`📦 ${hit('😀')}`)).toEqual([
      { text: '📦 ', hit: false },
      { text: '😀', hit: true },
    ])
  })
})
