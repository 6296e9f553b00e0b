// The knowledge base over real folders and real SQLite files: what gets indexed, what is listed with a reason,
// what is not read again, what a rescan at start-up catches, and retrieval's limits. Following the folder while
// running is in knowledge-watch.test.ts.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type IndexProgress } from '../src/main/core/knowledge/indexer'
import { KnowledgeBase, type KnowledgeBaseOptions } from '../src/main/core/knowledge/knowledge-base'
import { makePdf } from './helpers/make-pdf'

const FIXTURES = join(import.meta.dirname, 'fixtures', 'knowledge-base')

let work: string
let folder: string
const open: KnowledgeBase[] = []

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'knowledge-index-'))
  folder = join(work, 'kb')
  mkdirSync(folder)
})

afterEach(async () => {
  for (const kb of open.splice(0)) await kb.close()
  rmSync(work, { recursive: true, force: true })
})

/** A knowledge base on `folder` whose file reads are counted, not following the folder unless asked. */
function knowledgeBase(options: Partial<KnowledgeBaseOptions> = {}): { kb: KnowledgeBase; reads: string[] } {
  const reads: string[] = []
  const kb = new KnowledgeBase({
    folder,
    databaseFile: join(work, 'data', 'knowledge.db'),
    watch: false,
    readBytes: async (path) => {
      reads.push(
        path
          .slice(folder.length + 1)
          .split('\\')
          .join('/'),
      )
      return readFile(path)
    },
    ...options,
  })
  open.push(kb)
  return { kb, reads }
}

function write(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(folder, path)), { recursive: true })
  writeFileSync(join(folder, path), content)
}

describe('indexing a folder', () => {
  it('indexes every format, subfolders included, with titles, passage counts and forward-slash paths', async () => {
    cpSync(FIXTURES, folder, { recursive: true })
    write('.hidden/secret.md', '# Secret\n\nNot part of the knowledge base.')
    write('notes.docx', 'not a supported format')
    const progress: IndexProgress[] = []
    const { kb } = knowledgeBase()
    kb.onProgress((p) => progress.push(p))
    const summary = await kb.start()

    const documents = kb.documents()
    expect(documents).toHaveLength(19)
    expect(summary).toMatchObject({ files: 19, indexed: 19, failed: 0, error: null })
    expect(documents.every((d) => d.error === null && d.passageCount > 0 && /^[0-9a-f]{64}$/.test(d.sha256 ?? ''))).toBe(true)
    const byPath = new Map(documents.map((d) => [d.path, d]))
    expect(byPath.get('policies/returns.md')).toMatchObject({ format: 'markdown', title: 'Returns policy', passageCount: 6 })
    expect(byPath.get('policies/exchanges.txt')).toMatchObject({ format: 'text', title: 'EXCHANGES', passageCount: 4 })
    expect(byPath.get('policies/international-shipping.html')).toMatchObject({ format: 'html', title: 'International shipping', passageCount: 4 })
    expect(byPath.get('forms/warranty-card.pdf')).toMatchObject({ format: 'pdf', title: 'Warranty card', passageCount: 5 })
    expect(kb.status()).toMatchObject({ documents: 19, errors: 0, indexing: null, error: null })

    // Progress counts every file up to the total.
    expect(progress[0]).toEqual({ done: 0, total: 19, path: null })
    expect(progress.at(-1)).toMatchObject({ done: 19, total: 19 })
    expect(progress.map((p) => p.done)).toEqual([...Array(20).keys()])

    const passages = kb.passagesOf('policies/returns.md')
    expect(passages.map((p) => p.headingPath.at(-1))).toEqual([
      'Returns policy',
      'Return window',
      'Condition of returned items',
      'Items that cannot be returned',
      'How to start a return',
      'Return shipping costs',
    ])
    const source = readFileSync(join(folder, 'policies', 'returns.md'), 'utf8')
    for (const p of passages) expect(source.slice(p.start, p.end)).toBe(p.text)
    expect(kb.passage(passages[1]?.id ?? -1)).toMatchObject({ documentPath: 'policies/returns.md', documentTitle: 'Returns policy', ordinal: 1 })
  })

  it('lists unreadable documents with the reason, and indexes the rest', async () => {
    write('good.md', '# Good\n\nA readable document about refunds.')
    write('broken.pdf', '%PDF-1.7\n1 0 obj <<>> garbage without a trailer')
    write('scan.pdf', makePdf({ pages: [[]] }))
    write(
      'junk.txt',
      Uint8Array.from({ length: 600 }, (_, i) => (i * 7919) % 256),
    )
    write('huge.md', `# Huge\n\n${'lorem ipsum '.repeat(200)}`)
    write('locked.md', '# Locked\n\nSecret text.')
    write('empty.html', '<html><body><script>x()</script></body></html>')
    const { kb } = knowledgeBase({
      maxFileBytes: 1000,
      readBytes: async (path) => {
        if (path.endsWith('locked.md')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
        return readFile(path)
      },
    })
    const summary = await kb.start()
    const errors = Object.fromEntries(kb.documents().map((d) => [d.path, d.error]))
    expect(errors).toEqual({
      'broken.pdf': expect.stringMatching(/^not a readable PDF/),
      'empty.html': 'no text found',
      'good.md': null,
      'huge.md': 'too large (0.0 MB; the limit is 0.0 MB)',
      'junk.txt': 'not a text file (it holds binary data)',
      'locked.md': 'permission denied',
      'scan.pdf': 'no text found (a scanned PDF needs text recognition first)',
    })
    expect(summary).toMatchObject({ files: 7, indexed: 1, failed: 6 })
    expect(kb.status()).toMatchObject({ documents: 7, errors: 6 })
    expect(kb.retrieve('refunds').map((p) => p.documentPath)).toEqual(['good.md'])
  })

  it('does not read unchanged files again; a touched file is read but not re-indexed', async () => {
    cpSync(FIXTURES, folder, { recursive: true })
    const first = knowledgeBase()
    await first.kb.start()
    expect(first.reads).toHaveLength(19)
    const passageIds = first.kb.passagesOf('policies/refunds.md').map((p) => p.id)

    first.reads.length = 0
    const again = await first.kb.rescan()
    expect(first.reads).toEqual([])
    expect(again).toMatchObject({ files: 19, indexed: 0, unchanged: 19 })

    // New times, same bytes: read once to compare the hash, passages kept as they were.
    const later = new Date(Date.now() + 60_000)
    utimesSync(join(folder, 'policies', 'refunds.md'), later, later)
    await first.kb.rescan()
    expect(first.reads).toEqual(['policies/refunds.md'])
    expect(first.kb.passagesOf('policies/refunds.md').map((p) => p.id)).toEqual(passageIds)
    first.reads.length = 0
    await first.kb.rescan()
    expect(first.reads).toEqual([])
  })

  it('catches up at start-up with what changed while it was closed', async () => {
    write('a.md', '# Alpha\n\nThe alpha document talks about kayaks.')
    write('b.md', '# Beta\n\nThe beta document talks about hammocks.')
    write('c.md', '# Gamma\n\nThe gamma document talks about compasses.')
    const first = knowledgeBase()
    await first.kb.start()
    await first.kb.close()

    write('b.md', '# Beta\n\nThe beta document now talks about snowshoes.')
    rmSync(join(folder, 'c.md'))
    write('sub/d.txt', 'DELTA\n\nThe delta document talks about gaiters.')
    renameSync(join(folder, 'a.md'), join(folder, 'sub', 'a-renamed.md'))

    const second = knowledgeBase()
    const summary = await second.kb.start()
    expect(second.kb.documents().map((d) => d.path)).toEqual(['b.md', 'sub/a-renamed.md', 'sub/d.txt'])
    expect(summary).toMatchObject({ files: 3, indexed: 3, unchanged: 0, removed: 1 })
    expect(second.kb.retrieve('snowshoes').map((p) => p.documentPath)).toEqual(['b.md'])
    expect(second.kb.retrieve('hammocks')).toEqual([])
    expect(second.kb.retrieve('compasses')).toEqual([])
    expect(second.kb.retrieve('gaiters').map((p) => p.documentPath)).toEqual(['sub/d.txt'])
    // The renamed file kept its passages (found by its hash) and was not read for extraction twice.
    expect(second.kb.retrieve('kayaks').map((p) => [p.documentPath, p.documentTitle])).toEqual([['sub/a-renamed.md', 'Alpha']])
  })

  it('rebuilds the index for another folder, and from a damaged file', async () => {
    write('a.md', '# Alpha\n\nKayaks.')
    const first = knowledgeBase()
    await first.kb.start()
    await first.kb.close()

    const other = join(work, 'other')
    mkdirSync(other)
    writeFileSync(join(other, 'b.md'), '# Beta\n\nHammocks.')
    const second = knowledgeBase({ folder: other })
    expect(second.kb.documents()).toEqual([])
    await second.kb.start()
    expect(second.kb.documents().map((d) => d.path)).toEqual(['b.md'])
    await second.kb.close()

    writeFileSync(join(work, 'data', 'knowledge.db'), 'this is not a database')
    rmSync(join(work, 'data', 'knowledge.db-wal'), { force: true })
    const third = knowledgeBase({ folder: other })
    await third.kb.start()
    expect(third.kb.retrieve('hammocks').map((p) => p.documentPath)).toEqual(['b.md'])
  })

  it('reports a missing folder instead of failing, and empties the index', async () => {
    write('a.md', '# Alpha\n\nKayaks.')
    const first = knowledgeBase()
    await first.kb.start()
    await first.kb.close()
    rmSync(folder, { recursive: true })
    const second = knowledgeBase()
    const summary = await second.kb.start()
    expect(summary.error).toMatch(/does not exist/)
    expect(second.kb.status()).toMatchObject({ documents: 0, error: expect.stringMatching(/does not exist/) })
    expect(second.kb.retrieve('kayaks')).toEqual([])
  })
})

describe('retrieval', () => {
  beforeEach(() => {
    cpSync(FIXTURES, folder, { recursive: true })
  })

  it('returns ranked passages with their document, title, heading path and text', async () => {
    const { kb } = knowledgeBase()
    await kb.start()
    const found = kb.retrieve('How long is the warranty on a tent?', { limit: 3 })
    expect(found).toHaveLength(3)
    expect(found[0]).toMatchObject({
      documentPath: 'policies/warranty.md',
      documentTitle: 'Warranty',
      headingPath: ['Warranty', 'How long the warranty lasts'],
      text: expect.stringContaining('Tents, backpacks and sleeping bags: 5 years'),
      score: 1,
    })
    expect(found.map((p) => p.score)).toEqual([...found.map((p) => p.score)].sort((a, b) => b - a))
    expect(kb.retrieve('')).toEqual([])
    expect(kb.retrieve('the and of ???')).toEqual([])
  })

  it('stays within the limit and the token budget (chars / 4)', async () => {
    const { kb } = knowledgeBase()
    await kb.start()
    const all = kb.retrieve('refund return delivery warranty', { limit: 20 })
    expect(all).toHaveLength(20)
    const budget = (all[0]?.tokens ?? 0) + (all[1]?.tokens ?? 0) + (all[2]?.tokens ?? 0) + 1
    const budgeted = kb.retrieve('refund return delivery warranty', { limit: 20, tokenBudget: budget })
    expect(budgeted.map((p) => p.passageId)).toEqual(all.slice(0, 3).map((p) => p.passageId))
    expect(budgeted.reduce((n, p) => n + p.tokens, 0)).toBeLessThanOrEqual(budget)
    for (const p of budgeted) expect(p.tokens).toBe(Math.ceil((p.documentTitle.length + p.headingPath.join(' / ').length + p.text.length) / 4))
    expect(kb.retrieve('refund', { tokenBudget: 10 })).toEqual([])
  })

  it('weights the latest customer message over earlier ones', async () => {
    const { kb } = knowledgeBase()
    await kb.start()
    const conversation = [
      { role: 'customer' as const, text: 'Can I pay for my order with PayPal?' },
      { role: 'agent' as const, text: 'Yes, PayPal works. Anything else?' },
      { role: 'customer' as const, text: 'Also, how long does the warranty on a tent last?' },
      { role: 'assistant_draft' as const, text: 'Gift cards gift cards gift cards' },
    ]
    const found = kb.retrieve(conversation, { limit: 3 })
    expect(found[0]?.headingPath.at(-1)).toBe('How long the warranty lasts')
    // The earlier question still counts, below the latest one.
    expect(found.map((p) => p.documentPath)).toContain('policies/payment.md')
    // Drafts and system notes are not searched.
    expect(found).toEqual(kb.retrieve(conversation.slice(0, 3), { limit: 3 }))
    expect(kb.retrieve([{ role: 'system_note', text: 'warranty' }])).toEqual([])
  })
})
