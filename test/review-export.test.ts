// Bulk export and import (issue 9): each format parsed back (JSON by the import's own schema, CSV by a reader
// here), the import round trip (twice: nothing doubled; the figures of the copy equal the original's), bad files
// refused with nothing changed, backpressure and cancelling, the desktop's export jobs, and the HTTP routes
// (GET /api/export streamed, with its scope; POST /api/import).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportUrl, filterFromQuery, filterToQuery, queryFields } from '../src/shared/review'
import { CSV_COLUMNS, writeBulkExport } from '../src/main/core/api/export-bulk'
import { exportFile } from '../src/main/core/store/export-file'
import { StoreInputError, TranscriptStore } from '../src/main/core/store/transcript-store'
import { harnessPerTest, TEST_TOKEN } from './helpers/core-harness'
import { buildArchive, manualClock, type Archive } from './helpers/review-archive'
import { waitFor } from './helpers/wait-for'
import { parseCsv } from './helpers/csv'

let dir: string
let store: TranscriptStore
let archive: Archive
const opened: TranscriptStore[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-export-'))
  const clock = manualClock()
  store = open('source.db', clock.now)
  archive = buildArchive(store, clock)
  // Text a CSV must quote: a comma, quotes and a line break.
  store.addMessage({ conversationId: archive.a, role: 'customer', text: 'Thanks, "really"\nsecond line', source: 'app' })
})

afterEach(() => {
  for (const s of opened.splice(0)) s.close()
  rmSync(dir, { recursive: true, force: true })
})

function open(name: string, now?: () => Date): TranscriptStore {
  const s = TranscriptStore.open(join(dir, name), now ? { now } : {})
  opened.push(s)
  return s
}

async function exportText(
  from: TranscriptStore,
  format: 'json' | 'csv' | 'markdown',
  selection: Parameters<typeof writeBulkExport>[1] = { filter: {} },
): Promise<string> {
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  await writeBulkExport(from, selection, format, sink)
  sink.end()
  return Buffer.concat(chunks).toString('utf8')
}

const allMessages = (s: TranscriptStore): number => s.counts().messages

describe('export formats', () => {
  it('JSON: a versioned document the import schema accepts, with stable uids and reply uses', async () => {
    const parsed = exportFile.parse(JSON.parse(await exportText(store, 'json')))
    expect(parsed).toMatchObject({ format: 'support-console-export', version: 1 })
    expect(parsed.conversations.map((c) => c.id)).toEqual([archive.a, archive.b, archive.c, archive.d, archive.e])
    expect(new Set(parsed.conversations.map((c) => c.uid)).size).toBe(5)
    const a = parsed.conversations[0]
    expect(a?.tags).toEqual([{ name: 'VIP', color: 'amber' }])
    expect(a?.messages.find((m) => m.role === 'agent')).toMatchObject({ usedDraftId: archive.drafts.a1, editDistance: 3, similarity: 0.571 })
    expect(parsed.conversations.reduce((n, c) => n + c.messages.length, 0)).toBe(allMessages(store))
  })

  it('CSV: a header and one row per message, ISO 8601 UTC times, tags, and text that survives quoting', async () => {
    const rows = parseCsv(await exportText(store, 'csv'))
    expect(rows[0]).toEqual([...CSV_COLUMNS])
    const body = rows.slice(1)
    expect(body).toHaveLength(allMessages(store))
    const column = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name)
    for (const row of body) {
      expect(row).toHaveLength(CSV_COLUMNS.length)
      expect(row[column('created_at')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    }
    const quoted = body.find((row) => row[column('text')]?.includes('really'))
    expect(quoted?.[column('text')]).toBe('Thanks, "really"\nsecond line')
    expect(quoted?.[column('tags')]).toBe('VIP')
    const truncated = body.find((row) => row[column('status')] === 'truncated')
    expect(truncated).toBeDefined()
    expect(truncated?.[column('model')]).toBe('gemini-b')
    expect(truncated?.[column('total_tokens')]).toBe('3')
    expect(truncated?.[column('first_token_ms')]).toBe('200')
  })

  it('CSV of nothing is still a header', async () => {
    expect(parseCsv(await exportText(store, 'csv', { filter: { source: ['nobody'] } }))).toEqual([[...CSV_COLUMNS]])
  })

  it('Markdown: each conversation as its transcript, separated, with its tags', async () => {
    const markdown = await exportText(store, 'markdown', { ids: [archive.a, archive.b] })
    expect(markdown.match(/^# /gm)).toHaveLength(2)
    expect(markdown).toContain('# Parcel late\n\nTags: VIP')
    expect(markdown).toContain('\n---\n\n# Helpdesk ticket')
    expect(markdown).toContain('gemini-b · error')
  })

  it('selects by filter and search, like the list', async () => {
    const parsed = exportFile.parse(JSON.parse(await exportText(store, 'json', { filter: { q: 'refund', status: ['truncated'] } })))
    expect(parsed.conversations.map((c) => c.id)).toEqual([archive.c])
    const cjk = exportFile.parse(JSON.parse(await exportText(store, 'json', { filter: { q: '退款' } })))
    expect(cjk.conversations.map((c) => c.id)).toEqual([archive.d])
  })

  it('waits for a slow sink (backpressure), and stops between pages when cancelled', async () => {
    let written = 0
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length
        setTimeout(done, 2)
      },
    })
    const progress = await writeBulkExport(store, { filter: {} }, 'json', slow)
    await new Promise<void>((resolve) => slow.end(resolve))
    expect(written).toBe(progress.bytesWritten)
    expect(progress).toMatchObject({ conversationsDone: 5, conversationsTotal: 5, messagesDone: allMessages(store) })
    const abort = new AbortController()
    abort.abort(new Error('stop'))
    await expect(writeBulkExport(store, { filter: {} }, 'csv', new PassThrough(), { signal: abort.signal })).rejects.toThrow('stop')
  })
})

describe('import', () => {
  it('adds each conversation once, whatever how often the file is imported, and the copy has the same figures', async () => {
    const json = await exportText(store, 'json')
    const copy = open('copy.db')
    expect(copy.importer.import(json)).toEqual({ added: 5, skipped: 0, messages: allMessages(store) })
    expect(copy.importer.import(json)).toEqual({ added: 0, skipped: 5, messages: 0 })
    expect(copy.counts()).toEqual(store.counts())
    expect(copy.statistics.compute({})).toEqual(store.statistics.compute({}))
    const vip = copy.tags.list().find((t) => t.name === 'VIP')
    expect(vip).toMatchObject({ color: 'amber', conversationCount: 1 })
    for (const filter of [
      { status: ['error' as const] },
      { feedback: ['none' as const] },
      { usedReply: true },
      { q: '退款' },
      { model: ['gemini-b'] },
    ]) {
      expect(copy.listConversations(filter).conversations.map((c) => c.title)).toEqual(
        store.listConversations(filter).conversations.map((c) => c.title),
      )
    }
    // Exported again, the copy gives the same document but for ids and the time of export.
    const strip = (text: string): unknown => JSON.parse(text.replace(/"(id|usedDraftId|exportedAt)":("[^"]*"|\d+)/g, '"$1":0'))
    expect(strip(await exportText(copy, 'json'))).toEqual(strip(json))
  })

  it('refuses a bad file clearly and changes nothing', async () => {
    const copy = open('copy.db')
    const before = copy.counts()
    const good = JSON.parse(await exportText(store, 'json')) as { conversations: { uid: string; messages: { role: string }[] }[] }
    const broken = structuredClone(good)
    ;(broken.conversations[4]?.messages[0] as { role: string }).role = 'boss'
    const doubled = structuredClone(good)
    doubled.conversations.push(structuredClone(doubled.conversations[0] as (typeof doubled.conversations)[number]))
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['{"format":"something-else","version":1}', /not a Support Console export/],
      [JSON.stringify({ ...good, version: 2 }), /version/],
      [JSON.stringify(broken), /conversations\.4\.messages\.0\.role/],
      [JSON.stringify(doubled), /twice/],
    ]
    for (const [text, message] of cases) {
      expect(() => copy.importer.import(text)).toThrow(StoreInputError)
      expect(() => copy.importer.import(text)).toThrow(message)
    }
    expect(copy.counts()).toEqual(before)
    expect(copy.tags.list()).toEqual([])
  })
})

describe('filter URLs', () => {
  it('round-trip a filter through query parameters', () => {
    const filter = { q: 'refund now', from: '2026-01-05', status: ['error' as const, 'blocked' as const], tag: [3, 7], usedReply: false }
    const query = filterToQuery(filter)
    expect(query).toEqual({ q: 'refund now', from: '2026-01-05', status: 'error,blocked', tag: '3,7', usedReply: 'false' })
    expect(filterFromQuery(query)).toEqual(filter)
    expect(filterFromQuery({ status: 'sideways', model: 'gemini-a' })).toEqual({ model: ['gemini-a'] })
    expect(exportUrl({ format: 'csv', filter: { status: ['error'] } })).toBe('/api/export?status=error&format=csv')
    expect(exportUrl({ format: 'json', ids: [1, 2] })).toBe('/api/export?ids=1%2C2&format=json')
  })

  it('merge a repeated list parameter like its comma form, and leave the token out', () => {
    const params = new URLSearchParams('status=stopped&status=error,blocked&tag=3&tag=7&ids=1&ids=2&q=first&q=second&token=secret&from=2026-01-05')
    expect(queryFields(params)).toEqual({ status: 'stopped,error,blocked', tag: '3,7', ids: '1,2', q: 'second', from: '2026-01-05' })
    expect(filterFromQuery(queryFields(params))).toEqual({ status: ['stopped', 'error', 'blocked'], tag: [3, 7], q: 'second', from: '2026-01-05' })
  })
})

describe('over the core and HTTP', () => {
  const start = harnessPerTest()
  const exportDir = (): string => mkdtempSync(join(tmpdir(), 'review-export-files-'))

  it('imports over POST /api/import and streams GET /api/export by filter, with the export scope', async () => {
    const h = await start()
    const json = await exportText(store, 'json')
    const post = (body: unknown): Promise<Response> =>
      fetch(`${h.url}/api/import`, { method: 'POST', headers: { ...h.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect(await (await post({ json })).json()).toEqual({ added: 5, skipped: 0, messages: allMessages(store) })
    expect(await (await post({ json })).json()).toEqual({ added: 0, skipped: 5, messages: 0 })
    expect((await post({ json: '{"format":"x"}' })).status).toBe(400)

    const csv = await fetch(h.authed('/api/export?format=csv&status=error,truncated'))
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="support-console-export-.*\.csv"$/)
    const rows = parseCsv(await csv.text()).slice(1)
    expect(new Set(rows.map((row) => row[CSV_COLUMNS.indexOf('conversation_title')]))).toEqual(new Set(['Helpdesk ticket', 'Refund request']))

    const bad = await fetch(h.authed('/api/export?format=csv&status=sideways'))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid-input')
    expect((await fetch(h.authed('/api/export?format=pdf'))).status).toBe(400)

    const key = async (scopes: string[]): Promise<string> =>
      (
        (await (
          await fetch(`${h.url}/api/integration-keys`, {
            method: 'POST',
            headers: { ...h.headers, 'Content-Type': 'application/json' },
            body: JSON.stringify({ name: scopes.join('-'), scopes }),
          })
        ).json()) as { secret: string }
      ).secret
    const reader = await key(['read'])
    const exporter = await key(['export'])
    expect((await fetch(`${h.url}/api/export?format=json`, { headers: { Authorization: `Bearer ${reader}` } })).status).toBe(403)
    const byKey = await fetch(`${h.url}/api/export?format=json&ids=${h.core.store.listConversations({ q: '退款' }).conversations[0]?.id}`, {
      headers: { Authorization: `Bearer ${exporter}` },
    })
    expect(byKey.status).toBe(200)
    expect(exportFile.parse(await byKey.json()).conversations.map((c) => c.title)).toEqual(['退款'])
    // Filters on the list too, with the read scope.
    const listed = await fetch(`${h.url}/api/conversations?status=stopped&feedback=down`, { headers: { Authorization: `Bearer ${reader}` } })
    expect(((await listed.json()) as { conversations: { title: string }[] }).conversations.map((c) => c.title)).toEqual(['Helpdesk ticket'])
    const stats = await fetch(`${h.url}/api/stats?from=2026-01-06`, { headers: { Authorization: `Bearer ${reader}` } })
    expect(await stats.json()).toMatchObject({ drafts: 2, used: 1 })
  })

  it('imports the export file itself as the body (curl --data-binary @export.json), as well as { json }', async () => {
    const h = await start()
    const json = await exportText(store, 'json')
    const post = (body: string): Promise<Response> =>
      fetch(`${h.url}/api/import`, { method: 'POST', headers: { ...h.headers, 'Content-Type': 'application/json' }, body })
    const first = await post(json)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ added: 5, skipped: 0, messages: allMessages(store) })
    // The same file again, either way: nothing added.
    expect(await (await post(json)).json()).toEqual({ added: 0, skipped: 5, messages: 0 })
    expect(await (await post(JSON.stringify({ json }))).json()).toEqual({ added: 0, skipped: 5, messages: 0 })
    // The web console's client sends the file's text as a JSON string.
    expect(await (await post(JSON.stringify(json))).json()).toEqual({ added: 0, skipped: 5, messages: 0 })
    expect(h.core.store.counts()).toEqual(store.counts())
    // A file checked in full, as when sent as text: a bad one is refused, naming where, and changes nothing.
    const broken = JSON.parse(json) as { conversations: { messages: { role: string }[] }[] }
    ;(broken.conversations[1]?.messages[0] as { role: string }).role = 'boss'
    const refused = await post(JSON.stringify(broken))
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/conversations\.1\.messages\.0\.role/)
    for (const body of ['{"format":"something-else"}', '{}', '[1]', '{"json":5}']) expect((await post(body)).status, body).toBe(400)
    expect(h.core.store.counts()).toEqual(store.counts())
    // The desktop's path (IPC) sends the file's text; the store takes the parsed file as well.
    const fresh = open('fresh.db')
    expect(await h.core.api.importConversations(json)).toEqual({ added: 0, skipped: 5, messages: 0 })
    expect(fresh.importer.import(JSON.parse(json) as { format: 'support-console-export' })).toMatchObject({ added: 5 })
  })

  it('merges repeated list parameters like the comma form, on the list, the statistics and the export', async () => {
    const h = await start()
    await h.core.api.importConversations(await exportText(store, 'json'))
    const get = async (path: string): Promise<string> => {
      const response = await fetch(h.authed(path))
      expect(response.status, path).toBe(200)
      return response.text()
    }
    const titles = (text: string): string[] => (JSON.parse(text) as { conversations: { title: string }[] }).conversations.map((c) => c.title)
    const repeated = titles(await get('/api/conversations?status=stopped&status=error&status=truncated'))
    expect(repeated).toEqual(titles(await get('/api/conversations?status=stopped,error,truncated')))
    // More than the last value alone selects.
    expect(repeated.length).toBeGreaterThan(titles(await get('/api/conversations?status=truncated')).length)
    expect(await get('/api/stats?status=stopped&status=error')).toBe(await get('/api/stats?status=stopped,error'))
    const rows = async (path: string): Promise<string[][]> => parseCsv(await get(path)).slice(1)
    const byRepeat = await rows('/api/export?format=csv&status=error&status=truncated')
    expect(byRepeat).toEqual(await rows('/api/export?format=csv&status=error,truncated'))
    expect(new Set(byRepeat.map((row) => row[CSV_COLUMNS.indexOf('conversation_title')]))).toEqual(new Set(['Helpdesk ticket', 'Refund request']))
    const [one, two] = h.core.store.listConversations({}).conversations.map((c) => c.id)
    const byIds = await get(`/api/export?format=json&ids=${one}&ids=${two}`)
    expect(exportFile.parse(JSON.parse(byIds)).conversations).toHaveLength(2)
  })

  it('exports to the file the save dialog chose, with progress; a cancelled dialog exports nothing; web mode cannot', async () => {
    const target = exportDir()
    let answer: string | null = join(target, 'everything.json')
    const h = await start({ chooseExportFile: async () => answer })
    await h.core.api.importConversations(await exportText(store, 'json'))
    const job = await h.core.api.startExport({ format: 'json', filter: {} })
    expect(job).toMatchObject({ state: 'running', file: join(target, 'everything.json') })
    await waitFor(async () => (await h.core.api.getExportJob(job?.id as string)).state === 'done', 'the export to finish')
    const done = await h.core.api.getExportJob(job?.id as string)
    expect(done).toMatchObject({ conversationsDone: 5, conversationsTotal: 5, messagesDone: allMessages(store) })
    expect(exportFile.parse(JSON.parse(readFileSync(done.file, 'utf8'))).conversations).toHaveLength(5)
    expect(existsSync(`${done.file}.partial`)).toBe(false)
    answer = null
    expect(await h.core.api.startExport({ format: 'csv' })).toBeNull()
    await expect(h.core.api.getExportJob('nope')).rejects.toMatchObject({ code: 'not-found' })

    const web = await start()
    await expect(web.core.api.startExport({ format: 'csv' })).rejects.toMatchObject({ code: 'unavailable' })
    expect(TEST_TOKEN).toBeTruthy()
  })
})
