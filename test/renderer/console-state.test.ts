import { describe, expect, it } from 'vitest'
import type { SettingsView } from '../../src/shared/api'
import type { ConversationHit } from '../../src/shared/domain'
import { draftBlock, hasSomethingToAnswer } from '../../src/renderer/src/state/draft-block'
import { listKeyAction } from '../../src/renderer/src/state/list-keys'
import { closeIfOpen, openHit, setRenaming, startRenaming } from '../../src/renderer/src/state/selection'
import { buildSettingsUpdate, checkSettingsUpdate, describedBy, initialFormValues } from '../../src/renderer/src/state/settings-form'

describe('listKeyAction', () => {
  it('moves within the list and stops at its ends', () => {
    expect(listKeyAction('ArrowDown', 0, 3, 5)).toEqual({ type: 'move', index: 1 })
    expect(listKeyAction('ArrowDown', 2, 3, 5)).toEqual({ type: 'move', index: 2 })
    expect(listKeyAction('ArrowUp', 0, 3, 5)).toEqual({ type: 'move', index: 0 })
    expect(listKeyAction('PageDown', 1, 30, 5)).toEqual({ type: 'move', index: 6 })
    expect(listKeyAction('PageUp', 3, 30, 5)).toEqual({ type: 'move', index: 0 })
    expect(listKeyAction('Home', 7, 30, 5)).toEqual({ type: 'move', index: 0 })
    expect(listKeyAction('End', 0, 30, 5)).toEqual({ type: 'move', index: 29 })
  })

  it('acts on the active row, clamped to a list that shrank', () => {
    expect(listKeyAction('Enter', 1, 3, 5)).toEqual({ type: 'open', index: 1 })
    expect(listKeyAction(' ', 1, 3, 5)).toEqual({ type: 'open', index: 1 })
    expect(listKeyAction('F2', 9, 3, 5)).toEqual({ type: 'rename', index: 2 })
    expect(listKeyAction('Delete', 0, 3, 5)).toEqual({ type: 'delete', index: 0 })
  })

  it('leaves other keys, and every key of an empty list, alone', () => {
    expect(listKeyAction('a', 0, 3, 5)).toBeNull()
    expect(listKeyAction('Tab', 0, 3, 5)).toBeNull()
    expect(listKeyAction('ArrowDown', 0, 0, 5)).toBeNull()
  })
})

describe('selection', () => {
  const hit = (id: number, messageId?: number): ConversationHit =>
    ({ id, hit: messageId === undefined ? null : { messageId, snippet: '' } }) as unknown as ConversationHit

  it('opens a search result at its message, a plain row at the end', () => {
    expect(openHit(hit(4, 40), 7)).toEqual({ id: 4, focus: { messageId: 40, nonce: 7 }, renaming: false })
    expect(openHit(hit(4), 8)).toEqual({ id: 4, focus: null, renaming: false })
  })

  it('renames the open conversation in place, or opens another one to rename it', () => {
    const open = openHit(hit(4, 40), 1)
    const renaming = startRenaming(open, 4)
    expect(renaming).toEqual({ ...open, renaming: true })
    // The jump already made is kept (the same request, not a new one).
    expect(renaming.focus).toBe(open.focus)
    expect(startRenaming(open, 5)).toEqual({ id: 5, focus: null, renaming: true })
    expect(startRenaming(null, 5)).toEqual({ id: 5, focus: null, renaming: true })
    expect(setRenaming(renaming, false)).toEqual(open)
    expect(setRenaming(open, false)).toBe(open)
    expect(setRenaming(null, true)).toBeNull()
  })

  it('closes only the conversation that was deleted', () => {
    const open = openHit(hit(4), 1)
    expect(closeIfOpen(open, 4)).toBeNull()
    expect(closeIfOpen(open, 5)).toBe(open)
  })
})

describe('draftBlock', () => {
  it('asks for a key first, then for something to answer', () => {
    expect(draftBlock(false, true)).toEqual({ reason: 'Add a Gemini API key in Settings to draft replies.', settings: true })
    expect(draftBlock(true, false)).toEqual({ reason: 'Add the customer’s message first.', settings: false })
    expect(draftBlock(true, true)).toBeNull()
    // Still loading: nothing is said about the transcript yet.
    expect(draftBlock(true, null)).toBeNull()
  })

  it('counts customer messages and agent replies with text, not notes or empty drafts', () => {
    expect(hasSomethingToAnswer([])).toBe(false)
    expect(
      hasSomethingToAnswer([
        { role: 'system_note', text: 'Imported' },
        { role: 'assistant_draft', text: 'Hi' },
        { role: 'customer', text: '  ' },
      ]),
    ).toBe(false)
    expect(hasSomethingToAnswer([{ role: 'customer', text: 'Where is my parcel?' }])).toBe(true)
    expect(hasSomethingToAnswer([{ role: 'agent', text: 'We are on it.' }])).toBe(true)
  })
})

describe('settings form', () => {
  const settings: SettingsView = {
    model: 'gemini-flash-latest',
    systemInstruction: 'Be kind.',
    allowedOrigins: ['https://helpdesk.example.com'],
    apiKey: { present: true, storage: 'os-encrypted' },
    endpoint: { url: 'http://127.0.0.1:4123', token: 't', status: 'listening', problem: null, port: 4123, portFixedBy: null },
    dataDir: '/data',
    knowledgeBase: { dir: null, setByEnvironment: false, passages: 5, tokenBudget: 2000 },
  }

  it('sends only what changed, cleaned up', () => {
    const values = initialFormValues(settings)
    expect(buildSettingsUpdate(settings, values)).toEqual({})
    expect(
      buildSettingsUpdate(settings, {
        ...values,
        apiKey: '  new-key-123456789012345  ',
        model: ' gemini-pro-latest ',
        origins: ['https://helpdesk.example.com/', ' ', 'http://b.test'],
      }),
    ).toEqual({ apiKey: 'new-key-123456789012345', model: 'gemini-pro-latest', allowedOrigins: ['https://helpdesk.example.com', 'http://b.test'] })
    expect(buildSettingsUpdate(settings, { ...values, apiKey: 'typed-but-removed', removeKey: true })).toEqual({ apiKey: null })
  })

  it('never sends a key the environment sets', () => {
    const fromEnv = { ...settings, apiKey: { present: true, storage: 'environment' as const } }
    expect(buildSettingsUpdate(fromEnv, { ...initialFormValues(fromEnv), apiKey: 'new-key-123456789012345', removeKey: true })).toEqual({})
  })

  it('says what is wrong next to each field', () => {
    expect(checkSettingsUpdate({ model: 'gemini-pro-latest' })).toBeNull()
    const errors = checkSettingsUpdate({ model: 'not a model', allowedOrigins: ['helpdesk.example.com'] })
    expect(errors).toEqual({
      model: 'model is not a valid model name',
      allowedOrigins: 'each allowed origin must look like https://helpdesk.example.com',
    })
    expect(describedBy('f', errors ?? {}, 'model', 'hint')).toBe('f-model-error hint')
    expect(describedBy('f', {}, 'model', 'hint')).toBe('hint')
    expect(describedBy('f', {}, 'model')).toBeUndefined()
  })
})
