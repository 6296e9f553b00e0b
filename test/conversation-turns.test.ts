import { describe, expect, it } from 'vitest'
import type { Message, MessageRole, MessageStatus } from '../src/shared/domain'
import { conversationTurns, FOLLOW_UP_PROMPT } from '../src/main/core/drafting/conversation-turns'
import { message } from './helpers/messages'

let nextId = 1
function msg(role: MessageRole, text: string, status: MessageStatus = 'complete'): Message {
  return message({ id: nextId++, conversationId: 1, role, text, status })
}

describe('conversationTurns', () => {
  it('sends customers as user turns and agents as model turns', () => {
    expect(conversationTurns([msg('customer', 'Hi'), msg('agent', 'Hello!'), msg('customer', 'Refund?')])).toEqual([
      { role: 'user', text: 'Hi' },
      { role: 'model', text: 'Hello!' },
      { role: 'user', text: 'Refund?' },
    ])
  })

  it('uses the agent reply over drafts, and the last complete draft when the agent did not reply', () => {
    const turns = conversationTurns([
      msg('customer', 'Q1'),
      msg('assistant_draft', 'draft 1a'),
      msg('assistant_draft', 'draft 1b'),
      msg('agent', 'sent reply 1'),
      msg('customer', 'Q2'),
      msg('assistant_draft', 'draft 2'),
      msg('assistant_draft', 'failed', 'error'),
      msg('customer', 'Q3'),
    ])
    expect(turns).toEqual([
      { role: 'user', text: 'Q1' },
      { role: 'model', text: 'sent reply 1' },
      { role: 'user', text: 'Q2' },
      { role: 'model', text: 'draft 2' },
      { role: 'user', text: 'Q3' },
    ])
  })

  it('merges consecutive turns of one role and skips notes and empty text', () => {
    expect(conversationTurns([msg('customer', 'a'), msg('system_note', 'internal'), msg('customer', ' '), msg('customer', 'b')])).toEqual([
      { role: 'user', text: 'a\n\nb' },
    ])
  })

  it('always ends with a user turn and starts with one', () => {
    const turns = conversationTurns([msg('agent', 'Following up on your order')])
    expect(turns[0]?.role).toBe('user')
    expect(turns.at(-1)).toEqual({ role: 'user', text: FOLLOW_UP_PROMPT })
  })

  it('is empty for an empty conversation', () => {
    expect(conversationTurns([])).toEqual([])
  })
})
