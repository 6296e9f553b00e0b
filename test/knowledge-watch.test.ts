// Following the folder while the console runs: files added, changed, renamed and deleted (folders too) are
// reflected in retrieval within a few seconds. waitFor bounds a hang; nothing here measures speed.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { KnowledgeBase } from '../src/main/core/knowledge/knowledge-base'
import { makePdf, WARRANTY_CARD } from './helpers/make-pdf'
import { waitFor } from './helpers/wait-for'

let work: string
let folder: string
let kb: KnowledgeBase
let reads: string[]

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'knowledge-watch-'))
  folder = join(work, 'kb')
  mkdirSync(join(folder, 'policies'), { recursive: true })
  writeFileSync(join(folder, 'policies', 'returns.md'), '# Returns\n\n## Return window\nYou can return kayaks within 30 days.')
  reads = []
  kb = new KnowledgeBase({
    folder,
    databaseFile: join(work, 'knowledge.db'),
    readBytes: async (path) => {
      reads.push(path)
      return readFile(path)
    },
  })
  await kb.start()
  expect(kb.status().watching).toBe(true)
})

afterEach(async () => {
  await kb.close()
  rmSync(work, { recursive: true, force: true })
})

const paths = (query: string): string[] => kb.retrieve(query).map((p) => p.documentPath)

it('indexes a file added while running, in any format and subfolder', async () => {
  mkdirSync(join(folder, 'forms', 'cards'), { recursive: true })
  writeFileSync(join(folder, 'forms', 'cards', 'warranty-card.pdf'), makePdf(WARRANTY_CARD))
  writeFileSync(join(folder, 'hammocks.txt'), 'HAMMOCKS\n\nOur hammocks hold 150 kg.')
  await waitFor(
    () => paths('serial number').includes('forms/cards/warranty-card.pdf') && paths('hammocks').includes('hammocks.txt'),
    'added files indexed',
  )
  expect(kb.document('forms/cards/warranty-card.pdf')).toMatchObject({ title: 'Warranty card', passageCount: 5, error: null })
})

it('re-indexes a changed file', async () => {
  writeFileSync(join(folder, 'policies', 'returns.md'), '# Returns\n\n## Return window\nYou can return snowshoes within 60 days.')
  await waitFor(() => paths('snowshoes').length === 1, 'the change indexed')
  expect(paths('kayaks')).toEqual([])
})

it('moves a renamed file with its passages instead of extracting it again', async () => {
  const before = kb.passagesOf('policies/returns.md').map((p) => p.id)
  renameSync(join(folder, 'policies', 'returns.md'), join(folder, 'returns-policy.md'))
  await waitFor(() => paths('kayaks').includes('returns-policy.md') && kb.document('policies/returns.md') === undefined, 'the rename reflected')
  expect(kb.passagesOf('returns-policy.md').map((p) => p.id)).toEqual(before)
})

it('removes a deleted file, and every file of a deleted folder', async () => {
  writeFileSync(join(folder, 'policies', 'shipping.md'), '# Shipping\n\nWe ship hammocks to Norway.')
  await waitFor(() => paths('hammocks').length === 1, 'the second file indexed')
  rmSync(join(folder, 'policies', 'returns.md'))
  await waitFor(() => paths('kayaks').length === 0, 'the deleted file removed')
  rmSync(join(folder, 'policies'), { recursive: true })
  await waitFor(() => kb.documents().length === 0, 'the deleted folder emptied')
  expect(paths('hammocks')).toEqual([])
})

it('lists a broken file written while running, and keeps following the folder', async () => {
  writeFileSync(join(folder, 'broken.pdf'), '%PDF-1.4 not really')
  writeFileSync(join(folder, 'tents.md'), '# Tents\n\nThe tent weighs 1.9 kg.')
  await waitFor(() => kb.document('broken.pdf')?.error !== undefined && paths('tent').includes('tents.md'), 'both files seen')
  expect(kb.document('broken.pdf')?.error).toMatch(/not a readable PDF/)
})

it('ignores hidden and unsupported files, and stops following after close()', async () => {
  writeFileSync(join(folder, '.draft.md'), '# Hidden\n\nHammocks.')
  writeFileSync(join(folder, 'notes.docx'), 'Hammocks.')
  writeFileSync(join(folder, 'visible.md'), '# Visible\n\nGaiters.')
  await waitFor(() => paths('gaiters').length === 1, 'the visible file indexed')
  expect(kb.documents().map((d) => d.path)).toEqual(['policies/returns.md', 'visible.md'])
  expect(reads.some((path) => path.endsWith('.draft.md') || path.endsWith('.docx'))).toBe(false)

  await kb.close()
  const readsAtClose = reads.length
  writeFileSync(join(folder, 'after-close.md'), '# After\n\nWritten after close.')
  // A negative can only be observed by waiting: well past the watcher's batch and stability delays.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  expect(reads).toHaveLength(readsAtClose)
  await kb.close() // twice is fine
})
