// Settings → Knowledge base, the pure parts: the folder form's update and its check, the index state in words,
// and which picked files are sent in which request.
import { describe, expect, it } from 'vitest'
import type { KnowledgeBaseSettingsView } from '../../src/shared/api'
import type { KnowledgeBaseView, KnowledgeDocumentView } from '../../src/shared/knowledge'
import { MAX_KB_DOCUMENT_BYTES, MAX_KB_UPLOAD_BYTES, MAX_KB_UPLOAD_FILES } from '../../src/shared/limits'
import {
  buildKnowledgeUpdate,
  checkKnowledgeUpdate,
  describeIndexState,
  formatBytes,
  initialKnowledgeValues,
  planUpload,
  progressPercent,
} from '../../src/renderer/src/state/knowledge-base'

const settings = (overrides: Partial<KnowledgeBaseSettingsView> = {}): KnowledgeBaseSettingsView => ({
  dir: '/srv/kb',
  setByEnvironment: false,
  passages: 5,
  tokenBudget: 2000,
  ...overrides,
})

const doc = (path: string, error: string | null = null): KnowledgeDocumentView => ({
  path,
  title: path,
  passages: error ? 0 : 3,
  indexedAt: error ? null : '2025-01-01T00:00:00.000Z',
  sizeBytes: 1200,
  error,
})

const view = (overrides: Partial<KnowledgeBaseView>): KnowledgeBaseView => ({
  dir: '/srv/kb',
  state: 'ready',
  progress: null,
  error: null,
  documents: [],
  passageCount: 0,
  ...overrides,
})

describe('the knowledge-base form', () => {
  it('starts from the settings and changes nothing when nothing was typed', () => {
    const values = initialKnowledgeValues(settings())
    expect(values).toEqual({ dir: '/srv/kb', passages: '5', tokenBudget: '2000' })
    expect(buildKnowledgeUpdate(settings(), values)).toEqual({})
    expect(initialKnowledgeValues(settings({ dir: null })).dir).toBe('')
  })

  it('sends only what changed, and an empty folder as off', () => {
    const values = { dir: '  /home/me/docs ', passages: '8', tokenBudget: '2000' }
    expect(buildKnowledgeUpdate(settings(), values)).toEqual({ knowledgeBaseDir: '/home/me/docs', kbPassages: 8 })
    expect(buildKnowledgeUpdate(settings(), { ...initialKnowledgeValues(settings()), dir: ' ' })).toEqual({ knowledgeBaseDir: null })
  })

  it('never sends the folder while the environment sets it', () => {
    const fixed = settings({ setByEnvironment: true })
    expect(buildKnowledgeUpdate(fixed, { dir: '/elsewhere', passages: '5', tokenBudget: '3000' })).toEqual({ kbTokenBudget: 3000 })
  })

  it('reports each field’s problem with the schema’s own words', () => {
    const update = buildKnowledgeUpdate(settings(), { dir: 'relative/path', passages: '99', tokenBudget: '1e3' })
    const errors = checkKnowledgeUpdate(update)
    expect(errors?.knowledgeBaseDir).toMatch(/absolute path/)
    expect(errors?.kbPassages).toMatch(/between 1 and 20/)
    expect(errors?.kbTokenBudget).toMatch(/must be a number/)
    expect(checkKnowledgeUpdate(buildKnowledgeUpdate(settings(), { dir: '', passages: '', tokenBudget: '2000' }))?.kbPassages).toBeDefined()
    expect(checkKnowledgeUpdate({ knowledgeBaseDir: '/ok', kbPassages: 20, kbTokenBudget: 200 })).toBeNull()
  })
})

describe('the index state in words', () => {
  it('says each state plainly', () => {
    expect(describeIndexState(view({ dir: null, state: 'off' }))).toMatch(/No folder is set/)
    expect(describeIndexState(view({ state: 'indexing', progress: { done: 3, total: 18 } }))).toBe('Indexing: 3 of 18 files done.')
    expect(describeIndexState(view({ state: 'indexing', progress: null }))).toBe('Indexing…')
    expect(describeIndexState(view({ state: 'error', error: 'The folder /srv/kb does not exist.' }))).toBe(
      'The folder cannot be indexed. The folder /srv/kb does not exist.',
    )
    expect(describeIndexState(view({ documents: [doc('a.md')], passageCount: 1 }))).toBe('1 document, 1 passage.')
    expect(describeIndexState(view({ documents: [doc('a.md'), doc('b.pdf', 'it has no text')], passageCount: 3 }))).toBe(
      '2 documents, 3 passages. 1 document could not be read (see below).',
    )
  })

  it('turns progress into a percentage', () => {
    expect(progressPercent({ done: 9, total: 18 })).toBe(50)
    expect(progressPercent({ done: 0, total: 0 })).toBe(0)
    expect(progressPercent(null)).toBe(0)
    expect(progressPercent({ done: 5, total: 4 })).toBe(100)
  })

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(200 * 1024)).toBe('200 KB')
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB')
  })
})

describe('planning an upload', () => {
  const file = (name: string, size = 1000) => ({ name, size })

  it('refuses types the knowledge base does not read and files over the size limit, and says why', () => {
    const plan = planUpload([file('a.md'), file('b.docx'), file('noext'), file('C.PDF'), file('big.txt', MAX_KB_DOCUMENT_BYTES + 1)])
    expect(plan.batches.map((b) => b.map((f) => f.name))).toEqual([['a.md', 'C.PDF']])
    expect(plan.refused.map((r) => r.name)).toEqual(['b.docx', 'noext', 'big.txt'])
    expect(plan.refused[0]?.reason).toMatch(/only \.md, .*\.pdf files/)
    expect(plan.refused[2]?.reason).toMatch(/larger than 10\.0 MB/)
  })

  it('splits into requests within the API’s limits on files and bytes', () => {
    const many = Array.from({ length: MAX_KB_UPLOAD_FILES + 3 }, (_, i) => file(`f${i}.md`))
    expect(planUpload(many).batches.map((b) => b.length)).toEqual([MAX_KB_UPLOAD_FILES, 3])
    const size = MAX_KB_DOCUMENT_BYTES
    const heavy = Array.from({ length: 5 }, (_, i) => file(`h${i}.pdf`, size))
    const batches = planUpload(heavy).batches
    expect(batches.flat()).toHaveLength(5)
    for (const batch of batches) expect(batch.reduce((sum, f) => sum + f.size, 0)).toBeLessThanOrEqual(MAX_KB_UPLOAD_BYTES)
    expect(planUpload([]).batches).toEqual([])
  })
})
