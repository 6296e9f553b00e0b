// Splits Markdown into top-level blocks so a streaming reply re-renders only its last, growing block:
// finished blocks keep the same source string, and a memoised block component then skips them entirely.
//
// The split is conservative. It cuts only at a blank line that is followed by a line starting in column 0,
// outside a code fence, and never between two items of the same list, so parsing the blocks one by one
// renders what parsing the whole text would (up to link reference definitions used across blocks, which
// replies do not use). When in doubt it does not cut: a bigger block is only slower, never wrong.
// Pure: runs under Node in the unit tests.

const FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/
const LIST_ITEM = /^(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/

interface OpenFence {
  char: '`' | '~'
  length: number
  indent: number
}

function fenceOpening(line: string): OpenFence | null {
  const match = FENCE.exec(line)
  if (!match) return null
  const marker = match[2] as string
  const char = marker[0] as '`' | '~'
  // A backtick fence's info string may not contain backticks (CommonMark), so "```a`b" is not a fence.
  if (char === '`' && (match[3] ?? '').includes('`')) return null
  return { char, length: marker.length, indent: (match[1] as string).length }
}

function closesFence(line: string, fence: OpenFence): boolean {
  const match = FENCE.exec(line)
  if (!match) return false
  const marker = match[2] as string
  // A fence deeper than the opening one by four or more is code inside the block, not its end.
  const indentOk = (match[1] as string).length <= fence.indent + 3
  return indentOk && marker[0] === fence.char && marker.length >= fence.length && (match[3] ?? '').trim() === ''
}

const isBlank = (line: string): boolean => line.trim() === ''
const startsInColumnZero = (line: string): boolean => line.length > 0 && line[0] !== ' ' && line[0] !== '\t'

/** The text's top-level blocks, in order, without the blank lines between them. */
export function splitBlocks(text: string): string[] {
  const lines = text.split('\n')
  const blocks: string[] = []
  let current: string[] = []
  let fence: OpenFence | null = null
  let blockIsList = false
  let sawBlank = false

  const finish = (): void => {
    // Trailing blank lines belong to the gap, not the block.
    while (current.length > 0 && isBlank(current[current.length - 1] as string)) current.pop()
    if (current.length > 0) blocks.push(current.join('\n'))
    current = []
  }

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const isLast = i === lines.length - 1

    if (fence) {
      current.push(line)
      if (closesFence(line, fence)) fence = null
      continue
    }
    if (isBlank(line)) {
      if (current.length > 0) {
        current.push(line)
        sawBlank = true
      }
      continue
    }
    // While streaming, the last line may still be growing ("1" may become "1. item"), so it cannot decide
    // yet whether it starts a new block unless it already reads as one.
    const undecided = isLast && !LIST_ITEM.test(line) && /^\d{1,9}$|^[*+-]?$/.test(line)
    if (sawBlank && startsInColumnZero(line) && !undecided && !(blockIsList && LIST_ITEM.test(line))) {
      finish()
    }
    if (current.length === 0) blockIsList = LIST_ITEM.test(line)
    sawBlank = false
    current.push(line)
    fence = fenceOpening(line)
  }
  finish()
  return blocks
}
