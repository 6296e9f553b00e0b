import { describe, expect, it } from 'vitest'
import { DEFAULT_CONVERSATION_TITLE, shouldTitleFromFirstMessage, titleFromMessage } from '../src/shared/conversation-title'

describe('titles from the first customer message', () => {
  it('uses the message on one line', () => {
    expect(titleFromMessage('  Where is\nmy   parcel?  ')).toBe('Where is my parcel?')
  })

  it('cuts long messages at a word, with an ellipsis, within 80 characters', () => {
    const title = titleFromMessage(`${'word '.repeat(30)}end`)
    expect(title.length).toBeLessThanOrEqual(80)
    expect(title).toMatch(/word…$/)
    expect(titleFromMessage('x'.repeat(200))).toBe(`${'x'.repeat(79)}…`)
  })

  it('only renames a conversation that still has the default title and no messages', () => {
    expect(shouldTitleFromFirstMessage(DEFAULT_CONVERSATION_TITLE, 0)).toBe(true)
    expect(shouldTitleFromFirstMessage(DEFAULT_CONVERSATION_TITLE, 1)).toBe(false)
    expect(shouldTitleFromFirstMessage('Refund for order 1', 0)).toBe(false)
  })
})
