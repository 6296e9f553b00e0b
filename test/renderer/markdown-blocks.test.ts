import { describe, expect, it } from 'vitest'
import { splitBlocks } from '../../src/renderer/src/markdown/blocks'

describe('splitBlocks', () => {
  it('splits paragraphs at blank lines and drops the blank lines', () => {
    expect(splitBlocks('Hello there.\nSecond line.\n\nNext paragraph.\n\n\n# Heading')).toEqual([
      'Hello there.\nSecond line.',
      'Next paragraph.',
      '# Heading',
    ])
  })

  it('never splits inside a fenced code block, even at blank lines', () => {
    const code = '```ts\nconst a = 1\n\n\nconst b = 2\n```'
    expect(splitBlocks(`Intro\n\n${code}\n\nAfter`)).toEqual(['Intro', code, 'After'])
  })

  it('treats an unclosed fence as running to the end (a code block still streaming)', () => {
    const text = 'Try this:\n\n```sh\nnpm install\n\nnpm start'
    expect(splitBlocks(text)).toEqual(['Try this:', '```sh\nnpm install\n\nnpm start'])
  })

  it('closes a fence only with the same character, at least as long, and no info string', () => {
    const code = '````md\n```js\nx\n```\n\n~~~\n````'
    expect(splitBlocks(`${code}\n\nend`)).toEqual([code, 'end'])
  })

  it('keeps indented continuation (list item paragraphs and fences) with its list', () => {
    const list = '1. Open Settings.\n\n   Then pick the plan.\n\n   ```\n   code\n\n   more\n   ```\n2. Save.'
    expect(splitBlocks(`${list}\n\nThanks!`)).toEqual([list, 'Thanks!'])
  })

  it('keeps the items of one list together across blank lines, so numbering is not restarted', () => {
    const list = '1. First\n\n1. Second\n\n- third'
    expect(splitBlocks(`Steps:\n\n${list}\n\nDone.`)).toEqual(['Steps:', list, 'Done.'])
  })

  it('does not decide on a last line that may still grow into a list marker', () => {
    expect(splitBlocks('- a\n\n1')).toEqual(['- a\n\n1'])
    expect(splitBlocks('- a\n\n1. b')).toEqual(['- a\n\n1. b'])
    expect(splitBlocks('Para\n\n1. b')).toEqual(['Para', '1. b'])
  })

  it('returns nothing for empty or blank text', () => {
    expect(splitBlocks('')).toEqual([])
    expect(splitBlocks('\n\n  \n')).toEqual([])
  })

  it('loses no text: the blocks are the original lines minus the blank gaps', () => {
    const text = '# Title\n\nPara *one*\n\n- a\n- b\n\n```\nx\n\ny\n```\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'
    const nonBlank = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '')
    expect(nonBlank(splitBlocks(text).join('\n'))).toEqual(nonBlank(text))
  })

  it('keeps earlier blocks unchanged as a reply streams in, so they are not re-rendered', () => {
    const full = 'Hi there,\n\nHere is how:\n\n1. Open the app\n2. Tap **Settings**\n\n```\nreset --all\n```\n\nBest regards'
    let previous: string[] = []
    for (let i = 1; i <= full.length; i++) {
      const blocks = splitBlocks(full.slice(0, i))
      // Every block but the last two (the last may be growing; the one before it may just have been cut
      // off from it) must equal what it was a character ago.
      for (let b = 0; b < Math.min(previous.length, blocks.length) - 2; b++) expect(blocks[b]).toBe(previous[b])
      previous = blocks
    }
    expect(previous).toEqual(splitBlocks(full))
    expect(previous).toHaveLength(5)
  })
})
