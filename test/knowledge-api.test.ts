// The knowledge base through the API, on the real core: its settings (settings.json, SUPPORT_CONSOLE_KB_DIR, a
// folder change applied at once), its view, search and passages in context, documents added from the console
// (copied into the folder, refused when they would land elsewhere or are not a document), opening a document
// (desktop app only, inside the folder only) and the offline draft that works with no API key at all.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OFFLINE_DRAFT_MODEL, type AddedKnowledgeDocuments } from '../src/shared/knowledge'
import { MAX_KB_DOCUMENT_BYTES } from '../src/shared/limits'
import { assembleOfflineReply, OFFLINE_REPLY_LABEL, relevantSentences } from '../src/main/core/knowledge/offline-reply'
import { unwrapPassage } from '../src/shared/passage-text'
import { harnessPerTest, type Harness, type HarnessOptions } from './helpers/core-harness'
import { waitFor } from './helpers/wait-for'
import { refusal } from './helpers/api-refusal'

const start = harnessPerTest()
const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

const FAST_WATCHER = { debounceMs: 50, stableMs: 50 }

/** A folder of its own inside a parent of its own, so a test can check nothing was written beside it. */
function folder(files: Record<string, string | Buffer> = {}): string {
  const parent = mkdtempSync(join(tmpdir(), 'sc-kb-api-'))
  folders.push(parent)
  const dir = join(parent, 'kb')
  mkdirSync(dir)
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}

const GUIDE = `# Returns guide

## Before you send it

Pack the item in its original box, include the receipt, and write the order number on the parcel so the warehouse can match it.

## Return window

Items can be returned within 30 days of delivery for a full refund, as long as they are unused.

## After we receive it

Refunds are paid to the original payment method within 5 to 7 business days. You get an email when the refund is issued.
`

async function withFolder(files: Record<string, string | Buffer>, options: HarnessOptions = {}): Promise<{ h: Harness; dir: string }> {
  const dir = folder(files)
  const h = await start({ knowledgeWatcher: FAST_WATCHER, ...options, env: { SUPPORT_CONSOLE_KB_DIR: dir, ...options.env } })
  await h.core.knowledge.idle()
  return { h, dir }
}

const FIXTURES = join(import.meta.dirname, 'fixtures', 'knowledge-base')

const base64 = (text: string | Buffer): string => Buffer.from(text).toString('base64')

describe('knowledge-base settings', () => {
  it('round-trip through settings.json, and a new folder is indexed at once; null turns it off', async () => {
    const h = await start({ knowledgeWatcher: FAST_WATCHER })
    expect((await h.core.api.getSettings()).knowledgeBase).toEqual({ dir: null, setByEnvironment: false, passages: 5, tokenBudget: 2000 })
    expect(await h.core.api.getKnowledgeBase()).toMatchObject({ dir: null, state: 'off', documents: [], passageCount: 0 })

    const first = folder({ 'guide.md': GUIDE })
    const view = await h.core.api.updateSettings({ knowledgeBaseDir: first, kbPassages: 3, kbTokenBudget: 1000 })
    expect(view.knowledgeBase).toEqual({ dir: first, setByEnvironment: false, passages: 3, tokenBudget: 1000 })
    const saved = JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>
    expect(saved).toMatchObject({ knowledgeBaseDir: first, kbPassages: 3, kbTokenBudget: 1000 })
    await h.core.knowledge.idle()
    const kb = await h.core.api.getKnowledgeBase()
    expect(kb).toMatchObject({ dir: first, state: 'ready', progress: null, error: null, passageCount: 3 })
    expect(kb.documents).toEqual([
      { path: 'guide.md', title: 'Returns guide', passages: 3, indexedAt: expect.any(String), sizeBytes: GUIDE.length, error: null },
    ])

    // Another folder replaces the first: its documents only.
    const second = folder({ 'shipping.txt': 'Shipping\n\nWe ship parcels every weekday from our warehouse.' })
    await h.core.api.updateSettings({ knowledgeBaseDir: second })
    await h.core.knowledge.idle()
    expect((await h.core.api.getKnowledgeBase()).documents.map((d) => d.path)).toEqual(['shipping.txt'])
    expect((await h.core.api.searchKnowledgeBase('refund within 30 days')).map((p) => p.path)).not.toContain('guide.md')

    // Kept across a restart.
    await h.restart()
    await h.core.knowledge.idle()
    expect((await h.core.api.getSettings()).knowledgeBase).toMatchObject({ dir: second, passages: 3, tokenBudget: 1000 })
    expect((await h.core.api.getKnowledgeBase()).state).toBe('ready')

    await h.core.api.updateSettings({ knowledgeBaseDir: null })
    expect(await h.core.api.getKnowledgeBase()).toMatchObject({ dir: null, state: 'off' })
    expect(await h.core.api.searchKnowledgeBase('parcels')).toEqual([])
  })

  it('refuses a relative folder and limits out of range, and a folder SUPPORT_CONSOLE_KB_DIR sets', async () => {
    const { h, dir } = await withFolder({ 'guide.md': GUIDE })
    expect((await h.core.api.getSettings()).knowledgeBase).toMatchObject({ dir, setByEnvironment: true })
    expect((await refusal(h.core.api.updateSettings({ knowledgeBaseDir: 'docs/kb' }))).code).toBe('invalid-input')
    expect((await refusal(h.core.api.updateSettings({ kbPassages: 0 }))).code).toBe('invalid-input')
    expect((await refusal(h.core.api.updateSettings({ kbPassages: 21 }))).code).toBe('invalid-input')
    expect((await refusal(h.core.api.updateSettings({ kbTokenBudget: 199 }))).code).toBe('invalid-input')
    const conflict = await refusal(h.core.api.updateSettings({ knowledgeBaseDir: folder() }))
    expect(conflict.code).toBe('conflict')
    expect(conflict.message).toMatch(/SUPPORT_CONSOLE_KB_DIR/)
    expect((await h.core.api.getKnowledgeBase()).dir).toBe(dir)
  })

  it('shows a missing folder as an error, and picks it up when Settings saves it again after it appears', async () => {
    const parent = folder()
    const missing = join(parent, 'not-yet')
    const h = await start({ knowledgeWatcher: FAST_WATCHER })
    await h.core.api.updateSettings({ knowledgeBaseDir: missing })
    await h.core.knowledge.idle()
    const kb = await h.core.api.getKnowledgeBase()
    expect(kb.state).toBe('error')
    expect(kb.error).toBeTruthy()
    mkdirSync(missing)
    writeFileSync(join(missing, 'guide.md'), GUIDE)
    await h.core.api.updateSettings({ knowledgeBaseDir: missing })
    await h.core.knowledge.idle()
    expect(await h.core.api.getKnowledgeBase()).toMatchObject({ state: 'ready', passageCount: 3 })
  })
})

describe('search and passages', () => {
  it('searchKnowledgeBase returns the passages a draft would get; getPassage shows one between its neighbours', async () => {
    const { h } = await withFolder({ 'guide.md': GUIDE, 'broken.pdf': Buffer.from('not a pdf at all') })
    const kb = await h.core.api.getKnowledgeBase()
    expect(kb.documents.find((d) => d.path === 'broken.pdf')?.error).toBeTruthy()
    expect(kb.state).toBe('ready')

    const found = await h.core.api.searchKnowledgeBase('how many days do I have to send it back?')
    expect(found[0]).toMatchObject({ path: 'guide.md', title: 'Returns guide', heading: ['Returns guide', 'Return window'] })
    expect(found[0]?.score).toBeGreaterThan(0)
    expect(found.length).toBeLessThanOrEqual(5)

    const inContext = await h.core.api.getPassage(found[0]?.passageId ?? 0)
    expect(inContext.passage).toMatchObject({ passageId: found[0]?.passageId, path: 'guide.md', text: found[0]?.text })
    expect(inContext.before).toMatch(/original box/)
    expect(inContext.after).toMatch(/5 to 7 business days/)
    const first = await h.core.api.searchKnowledgeBase('original box receipt')
    expect((await h.core.api.getPassage(first[0]?.passageId ?? 0)).before).toBe('')
    expect((await refusal(h.core.api.getPassage(999_999))).code).toBe('not-found')

    // Over HTTP too.
    const response = await fetch(h.authed(`/api/knowledge-base/search?q=${encodeURIComponent('refund email')}`))
    expect(response.status).toBe(200)
    expect(((await response.json()) as Array<{ path: string }>)[0]?.path).toBe('guide.md')
  })
})

describe('adding documents', () => {
  it('copies good files into the folder, where the watcher indexes them; a taken name gets a number', async () => {
    const { h, dir } = await withFolder({ 'faq.md': '# FAQ\n\nOld answers.' })
    const result = await h.core.api.addKnowledgeBaseDocuments([
      { name: 'warranty.md', contentBase64: base64('# Warranty\n\nKettles carry a two-year warranty.') },
      { name: 'faq.md', contentBase64: base64('# FAQ\n\nNew answers about gift cards.') },
      { name: 'Opening Hours.TXT', contentBase64: base64('We are open from 9 to 5 on weekdays.') },
    ])
    expect(result).toEqual({ added: ['warranty.md', 'faq (2).md', 'Opening Hours.TXT'], refused: [] })
    expect(readFileSync(join(dir, 'faq.md'), 'utf8')).toBe('# FAQ\n\nOld answers.')
    expect(readFileSync(join(dir, 'faq (2).md'), 'utf8')).toContain('gift cards')
    await waitFor(async () => (await h.core.api.getKnowledgeBase()).documents.length === 4, 'the added documents to be indexed')
    expect((await h.core.api.searchKnowledgeBase('two-year warranty kettle'))[0]?.path).toBe('warranty.md')
  })

  it('refuses names with a path, hidden names, other types, bad base64, empty and oversized files, one by one', async () => {
    const { h, dir } = await withFolder({})
    const parent = dirname(dir)
    const before = readdirSync(parent)
    expect(before).toEqual(['kb'])
    const ok = base64('# Fine\n\nText.')
    const files = [
      { name: '../escape.md', contentBase64: ok },
      { name: 'sub/inside.md', contentBase64: ok },
      { name: '..\\escape.md', contentBase64: ok },
      { name: '/etc/passwd.md', contentBase64: ok },
      { name: '..', contentBase64: ok },
      { name: '.hidden.md', contentBase64: ok },
      { name: 'run.exe', contentBase64: ok },
      { name: 'notes', contentBase64: ok },
      { name: 'bad.md', contentBase64: 'not base64!' },
      { name: 'empty.md', contentBase64: '' },
      { name: 'huge.txt', contentBase64: Buffer.alloc(MAX_KB_DOCUMENT_BYTES + 1, 'a').toString('base64') },
      { name: 'good.html', contentBase64: base64('<h1>Good</h1><p>Kept.</p>') },
    ]
    const result = await h.core.api.addKnowledgeBaseDocuments(files)
    expect(result.added).toEqual(['good.html'])
    expect(result.refused.map((r) => r.name)).toEqual(files.slice(0, -1).map((f) => f.name))
    for (const { reason } of result.refused) expect(reason).toMatch(/\w/)
    expect(readdirSync(dir)).toEqual(['good.html'])
    expect(readdirSync(parent)).toEqual(before)
    expect(existsSync('/etc/passwd.md')).toBe(false)

    // Over HTTP the same: refused in the answer, nothing written outside.
    const response = await fetch(h.authed('/api/knowledge-base/documents'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: [{ name: '../../over-http.md', contentBase64: ok }] }),
    })
    expect(response.status).toBe(200)
    expect(((await response.json()) as AddedKnowledgeDocuments).refused.map((r) => r.name)).toEqual(['../../over-http.md'])
    expect(readdirSync(parent)).toEqual(before)
    expect(existsSync(join(parent, '..', 'over-http.md'))).toBe(false)
  })

  it('needs a knowledge-base folder', async () => {
    const h = await start()
    expect((await refusal(h.core.api.addKnowledgeBaseDocuments([{ name: 'a.md', contentBase64: base64('x') }]))).code).toBe('unavailable')
  })
})

describe('opening a document', () => {
  it('is the desktop app’s: web mode answers unavailable', async () => {
    const { h } = await withFolder({ 'guide.md': GUIDE })
    const error = await refusal(h.core.api.openKnowledgeBaseDocument('guide.md'))
    expect(error.code).toBe('unavailable')
  })

  it('opens only files inside the folder, links resolved', async () => {
    const outside = folder({ 'secret.md': '# Secret' })
    const opened: string[] = []
    const { h, dir } = await withFolder({ 'sub/guide.md': GUIDE }, { openFile: async (path) => void opened.push(path) })
    symlinkSync(join(outside, 'secret.md'), join(dir, 'link.md'))
    await h.core.api.openKnowledgeBaseDocument('sub/guide.md')
    expect(opened).toEqual([realpathSync(join(dir, 'sub', 'guide.md'))])
    expect((await refusal(h.core.api.openKnowledgeBaseDocument(relative(dir, join(outside, 'secret.md'))))).code).toBe('invalid-input')
    expect((await refusal(h.core.api.openKnowledgeBaseDocument('link.md'))).code).toBe('invalid-input')
    expect((await refusal(h.core.api.openKnowledgeBaseDocument(join(outside, 'secret.md')))).code).toBe('invalid-input')
    expect((await refusal(h.core.api.openKnowledgeBaseDocument('missing.md'))).code).toBe('not-found')
    expect((await refusal(h.core.api.openKnowledgeBaseDocument('sub'))).code).toBe('not-found')
    expect(opened).toHaveLength(1)
  })
})

describe('an offline draft', () => {
  it('is assembled from the best passages with their sources, with no API key and no request to Gemini', async () => {
    const { h } = await withFolder({ 'guide.md': GUIDE }, { env: { GEMINI_API_KEY: '' } })
    const { id } = await h.core.api.createConversation({})
    await h.core.api.addCustomerMessage(id, 'Hi, how long until I get my refund after sending the item back?')
    const draft = await h.core.api.draftFromKnowledgeBase(id)
    expect(draft).toMatchObject({ role: 'assistant_draft', status: 'complete', model: OFFLINE_DRAFT_MODEL, source: 'app' })
    expect(draft.text.startsWith(OFFLINE_REPLY_LABEL)).toBe(true)
    // One bullet per passage, each ending with its number; the passage that answers is among them.
    const answer = draft.sources.find((s) => s.heading.at(-1) === 'After we receive it')
    expect(answer?.path).toBe('guide.md')
    expect(draft.text).toMatch(new RegExp(`^- .*5 to 7 business days\\..*\\[${answer?.n}\\]$`, 'm'))
    expect(draft.sources.map((s) => s.n)).toEqual(draft.sources.map((_, i) => i + 1))
    for (const source of draft.sources) expect(draft.text).toMatch(new RegExp(`^- .+ \\[${source.n}\\]$`, 'm'))
    expect(h.emulator.requests).toHaveLength(0)
    expect((await h.core.api.getConversation(id)).messages.at(-1)).toEqual(draft)

    // Over HTTP: 201 with the message.
    const response = await fetch(h.authed(`/api/conversations/${id}/draft/offline`), { method: 'POST' })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ model: OFFLINE_DRAFT_MODEL, status: 'complete' })
  })

  it('says why when there is no knowledge base, nothing matches, or nothing to answer', async () => {
    const bare = await start({ env: { GEMINI_API_KEY: '' } })
    const { id } = await bare.core.api.createConversation({})
    await bare.core.api.addCustomerMessage(id, 'Where is my refund?')
    expect((await refusal(bare.core.api.draftFromKnowledgeBase(id))).code).toBe('unavailable')

    const { h } = await withFolder({ 'guide.md': GUIDE })
    const { id: empty } = await h.core.api.createConversation({})
    expect((await refusal(h.core.api.draftFromKnowledgeBase(empty))).code).toBe('invalid-input')
    await h.core.api.addCustomerMessage(empty, 'Quelle est la couleur du ciel?')
    expect((await refusal(h.core.api.draftFromKnowledgeBase(empty))).code).toBe('not-found')
    expect((await refusal(h.core.api.draftFromKnowledgeBase(987_654))).code).toBe('not-found')
    expect((await h.core.api.getConversation(empty)).messages.map((m) => m.role)).toEqual(['customer'])
  })

  it('quotes the sentences that share the question’s words, each bullet cited', () => {
    const text = 'Pack it well. Refunds are paid within 5 to 7 business days. You get an email when the refund is issued. Thanks!'
    expect(relevantSentences(text, 'when will my refund be paid?')).toEqual([
      'Refunds are paid within 5 to 7 business days.',
      'You get an email when the refund is issued.',
    ])
    // Nothing shared: the passage's opening sentences.
    expect(relevantSentences(text, 'zebra')).toEqual(['Pack it well.', 'Refunds are paid within 5 to 7 business days.'])
    const reply = assembleOfflineReply('refund paid', [
      { n: 1, text },
      { n: 2, text: '12345 67890' },
    ])
    expect(reply.cited).toEqual([1])
    expect(reply.text).toBe(
      `${OFFLINE_REPLY_LABEL}\n\n- Refunds are paid within 5 to 7 business days. You get an email when the refund is issued. [1]`,
    )
  })

  it('quotes whole sentences from a hard-wrapped passage, and splits at list items and paragraphs', () => {
    const wrapped =
      'Clean off mud after every hike, let boots dry at room temperature away from radiators, and treat the\n' +
      'leather with wax twice a season. Drying boots on a heater cracks the leather and is not covered by\n' +
      'warranty.\n\nReturns:\n- Online orders by post\n- Store orders in any store'
    expect(relevantSentences(wrapped, 'I dried my boots on the heater, is that covered?', 1)).toEqual([
      'Drying boots on a heater cracks the leather and is not covered by warranty.',
    ])
    expect(relevantSentences(wrapped, 'zebra', 1)).toEqual([
      'Clean off mud after every hike, let boots dry at room temperature away from radiators, and treat the leather with wax twice a season.',
    ])
    expect(relevantSentences(wrapped, 'store orders', 1)).toEqual(['Store orders in any store'])
    // List items have no stop of their own: a bullet quoting two keeps them apart.
    expect(assembleOfflineReply('orders', [{ n: 1, text: wrapped }]).text).toBe(
      `${OFFLINE_REPLY_LABEL}\n\n- Online orders by post; Store orders in any store [1]`,
    )
  })

  it('never ends a bullet mid-sentence on the fixture knowledge base', async () => {
    const dir = folder()
    cpSync(FIXTURES, dir, { recursive: true })
    const h = await start({ env: { SUPPORT_CONSOLE_KB_DIR: dir, GEMINI_API_KEY: '' } })
    await h.core.knowledge.idle()
    const kb = h.core.knowledge.current
    if (!kb) throw new Error('the fixture knowledge base did not open')
    const passages = kb.documents().flatMap((document) => kb.passagesOf(document.path))
    expect(passages.length).toBeGreaterThan(20)
    // A sentence may end without a stop only where its line does (a list item, a line of its own).
    const midSentence = (sentence: string, passageText: string): boolean =>
      !/[.!?…:;)"'”’]$/.test(sentence) &&
      !unwrapPassage(passageText)
        .split('\n')
        .some((line) => line.trimEnd().endsWith(sentence))
    const broken: string[] = []
    for (const passage of passages) {
      // Its opening sentences (no word shared) and those about its own heading.
      for (const question of ['zebra', passage.headingPath.join(' ')]) {
        const sentences = relevantSentences(passage.text, question)
        for (const sentence of sentences) if (midSentence(sentence, passage.text)) broken.push(sentence)
        // The bullet quotes those sentences, so it ends where the last one does.
        const { text } = assembleOfflineReply(question, [{ n: 1, text: passage.text }])
        if (sentences.length > 0) expect(text.endsWith(`${sentences.at(-1)} [1]`)).toBe(true)
      }
    }
    expect(broken).toEqual([])

    // And as drafted from a conversation.
    const { id } = await h.core.api.createConversation({})
    await h.core.api.addCustomerMessage(id, 'Can I dry my leather boots on the heater? And can I return something I bought in a store by post?')
    const draft = await h.core.api.draftFromKnowledgeBase(id)
    for (const line of draft.text.split('\n').filter((l) => l.startsWith('- '))) expect(line).toMatch(/[.!?…:;)"'”’] \[\d+\]$/)
  })
})
