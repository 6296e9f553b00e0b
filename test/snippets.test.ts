// Snippets (canned replies): the store on a real SQLite file (create, edit, delete, search, shortcuts, limits) and
// the API over it (import and export as JSON, refusals with their codes), over HTTP too.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_SNIPPET_TITLE_CHARS } from '../src/shared/limits'
import type { SnippetsFile } from '../src/shared/steering'
import { SnippetShortcutTaken } from '../src/main/core/store/snippets'
import { StoreInputError, TranscriptStore } from '../src/main/core/store/transcript-store'
import { harnessPerTest, TEST_TOKEN } from './helpers/core-harness'
import { refusal } from './helpers/api-refusal'

const start = harnessPerTest()

describe('the snippet store', () => {
  let dir: string
  let store: TranscriptStore
  let clock = Date.parse('2025-05-01T10:00:00.000Z')

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'snippets-'))
    store = TranscriptStore.open(join(dir, 'transcripts.db'), { now: () => new Date((clock += 1000)) })
  })
  afterEach(() => {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates, edits and deletes snippets, listed alphabetically whatever the case, and kept across a reopen', () => {
    const refund = store.snippets.create({ title: 'Refund policy', body: 'Refunds take 5 working days.', shortcut: 'refund' })
    const greeting = store.snippets.create({ title: '  greeting ', body: 'Hello {customer_name},' })
    expect(greeting).toMatchObject({ title: 'greeting', shortcut: null })
    expect(store.snippets.list().map((s) => s.title)).toEqual(['greeting', 'Refund policy'])

    const edited = store.snippets.update(refund.id, { body: 'Refunds take 3 working days.' })
    expect(edited).toMatchObject({ id: refund.id, title: 'Refund policy', body: 'Refunds take 3 working days.', shortcut: 'refund' })
    expect(edited?.updatedAt).not.toBe(refund.updatedAt)
    expect(store.snippets.update(refund.id, { shortcut: null })?.shortcut).toBeNull()
    expect(store.snippets.update(9999, { title: 'x' })).toBeUndefined()

    expect(store.snippets.delete(greeting.id)).toBe(true)
    expect(store.snippets.delete(greeting.id)).toBe(false)
    const file = store.file
    store.close()
    store = TranscriptStore.open(file)
    expect(store.snippets.list()).toEqual([{ ...edited, shortcut: null, updatedAt: expect.any(String) }])
  })

  it('finds snippets by any part of a word, folding case and accents, shortcut and title matches first', () => {
    store.snippets.create({ title: 'Shipping times', body: 'We ship within 2 days; a refund is possible before shipping.' })
    store.snippets.create({ title: 'Rückerstattung', body: 'Die Erstattung dauert 5 Tage.', shortcut: 'erstattung' })
    store.snippets.create({ title: 'Refund policy', body: 'Refunds take 5 working days.', shortcut: 'refund' })
    store.snippets.create({ title: 'Damaged refund claim', body: 'Send us a photo of the damage.' })
    expect(store.snippets.list('REFUND').map((s) => s.title)).toEqual(['Refund policy', 'Damaged refund claim', 'Shipping times'])
    expect(store.snippets.list('fund 5').map((s) => s.title)).toEqual(['Refund policy'])
    expect(store.snippets.list('ruckerst').map((s) => s.title)).toEqual(['Rückerstattung'])
    expect(store.snippets.list('erstatt').map((s) => s.title)).toEqual(['Rückerstattung'])
    expect(store.snippets.list('nothing like it')).toEqual([])
    expect(store.snippets.list('   ')).toHaveLength(4)
  })

  it('keeps shortcuts unique whatever their case, and refuses what is not a snippet', () => {
    const first = store.snippets.create({ title: 'A', body: 'a', shortcut: 'thanks' })
    expect(() => store.snippets.create({ title: 'B', body: 'b', shortcut: 'Thanks' })).toThrow(SnippetShortcutTaken)
    const second = store.snippets.create({ title: 'B', body: 'b', shortcut: 'thx' })
    expect(() => store.snippets.update(second.id, { shortcut: 'THANKS' })).toThrow(/already used/)
    expect(store.snippets.update(first.id, { shortcut: 'thanks' })?.shortcut).toBe('thanks')
    expect(() => store.snippets.create({ title: '', body: 'b' })).toThrow(StoreInputError)
    expect(() => store.snippets.create({ title: 'x'.repeat(MAX_SNIPPET_TITLE_CHARS + 1), body: 'b' })).toThrow(StoreInputError)
    expect(() => store.snippets.create({ title: 'C', body: '   ' })).toThrow(StoreInputError)
    expect(() => store.snippets.create({ title: 'C', body: 'c', shortcut: 'two words' })).toThrow(StoreInputError)
    expect(store.snippets.list()).toHaveLength(2)
  })

  it('imports all or nothing, skipping what is already kept and dropping a shortcut that is taken', () => {
    store.snippets.create({ title: 'Refund policy', body: 'Refunds take 5 working days.', shortcut: 'refund' })
    const result = store.snippets.importMany([
      { title: 'Refund policy', body: 'Refunds take 5 working days.', shortcut: 'refund' },
      { title: 'Refund policy', body: 'A different body: a different snippet.', shortcut: 'refund' },
      { title: 'Greeting', body: 'Hello!' },
      { title: 'Greeting', body: 'Hello!' },
    ])
    expect(result).toEqual({ added: 2, skipped: 2 })
    expect(store.snippets.list().map((s) => [s.title, s.shortcut])).toEqual([
      ['Greeting', null],
      ['Refund policy', 'refund'],
      ['Refund policy', null],
    ])
    expect(() =>
      store.snippets.importMany([
        { title: 'Fine', body: 'fine' },
        { title: '', body: 'broken' },
      ]),
    ).toThrow(StoreInputError)
    expect(store.snippets.list()).toHaveLength(3)
  })
})

describe('snippets through the API', () => {
  it('export to a versioned JSON file that imports back as it was, and importing it twice adds nothing', async () => {
    const { core } = await start()
    const api = core.api
    await api.createSnippet({ title: 'Refund policy', body: 'Refunds take 5 working days.\nAsk us anything.', shortcut: 'refund' })
    await api.createSnippet({ title: 'Greeting', body: 'Hello {customer_name},' })
    const exported = await api.exportSnippets()
    expect(exported.filename).toMatch(/^support-console-snippets-\d{4}-\d\d-\d\d\.json$/)
    expect(exported.mimeType).toMatch(/^application\/json/)
    const file = JSON.parse(exported.content) as SnippetsFile
    expect(file).toEqual({
      version: 1,
      snippets: [
        { title: 'Greeting', body: 'Hello {customer_name},', shortcut: null },
        { title: 'Refund policy', body: 'Refunds take 5 working days.\nAsk us anything.', shortcut: 'refund' },
      ],
    })
    expect(await api.importSnippets(exported.content)).toEqual({ added: 0, skipped: 2 })

    // Into an empty console: the same snippets come back.
    const other = await start()
    expect(await other.core.api.importSnippets(exported.content)).toEqual({ added: 2, skipped: 0 })
    expect(await other.core.api.importSnippets(exported.content)).toEqual({ added: 0, skipped: 2 })
    const strip = (list: { title: string; body: string; shortcut: string | null }[]) =>
      list.map(({ title, body, shortcut }) => ({ title, body, shortcut }))
    expect(strip(await other.core.api.listSnippets({}))).toEqual(strip(await api.listSnippets({})))
  })

  it('refuse files that are not snippets files, and answer with codes the console can act on', async () => {
    const { core } = await start()
    const api = core.api
    for (const [json, message] of [
      ['not json', /not valid JSON/],
      ['{"version":2,"snippets":[]}', /version 1/],
      ['{"version":1,"snippets":[{"title":"","body":"x"}]}', /title must not be empty/],
      ['[]', /Snippets file/],
    ] as const) {
      const refused = await refusal(api.importSnippets(json))
      expect(refused.code, json).toBe('invalid-input')
      expect(refused.message, json).toMatch(message)
    }
    const kept = await api.createSnippet({ title: 'Thanks', body: 'Thank you!', shortcut: 'ty' })
    expect((await refusal(api.createSnippet({ title: 'Other', body: 'x', shortcut: 'TY' }))).code).toBe('conflict')
    expect((await refusal(api.updateSnippet(9999, { title: 'x' }))).code).toBe('not-found')
    expect((await refusal(api.deleteSnippet(9999))).code).toBe('not-found')
    expect((await refusal(api.createSnippet({ title: 'Slash', body: 'x', shortcut: '/ty' }))).code).toBe('invalid-input')
    // An empty shortcut means none.
    expect((await api.updateSnippet(kept.id, { shortcut: '' })).shortcut).toBeNull()
    expect(await api.listSnippets({})).toHaveLength(1)
  })

  it('work over the JSON API: create, search, edit, delete, export', async () => {
    const { core } = await start()
    const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
      fetch(`${core.server.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const created = await call('POST', '/api/snippets', { title: 'Delivery', body: 'Parcels take 3 days.', shortcut: 'eta' })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: number }
    expect(await (await call('GET', '/api/snippets?q=parc')).json()).toMatchObject([{ id, title: 'Delivery' }])
    expect(await (await call('PATCH', `/api/snippets/${id}`, { title: 'Delivery times' })).json()).toMatchObject({ id, title: 'Delivery times' })
    const exported = await call('GET', '/api/snippets/export')
    expect(exported.status).toBe(200)
    expect(((await exported.json()) as SnippetsFile).snippets).toEqual([{ title: 'Delivery times', body: 'Parcels take 3 days.', shortcut: 'eta' }])
    expect((await call('POST', '/api/snippets/import', { json: JSON.stringify({ version: 1, snippets: [] }) })).status).toBe(200)
    expect((await call('DELETE', `/api/snippets/${id}`)).status).toBe(204)
    expect(await (await call('GET', '/api/snippets')).json()).toEqual([])
  })
})
