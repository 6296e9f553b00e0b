// The knowledge base in the React console, as an agent uses it in web mode: a grounded draft whose citations open
// the passage they cite, an offline draft from the knowledge base when there is no API key, and Settings →
// Knowledge base (its documents, trying retrieval, adding a document). The real built renderer, served by the real
// core against the Gemini emulator, driven in Debian's Chromium; the knowledge base is a copy of
// test/fixtures/knowledge-base (18 support documents) in each test's own folder.
//
// (Setup, waits and screenshots: test/e2e/helpers/web-console.ts.)
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OFFLINE_DRAFT_MODEL } from '../../src/shared/knowledge'
import { PROJECT_ROOT } from '../../src/main/core/cli/web-console'
import type { Harness, HarnessOptions } from '../helpers/core-harness'
import {
  conversationWithCustomer,
  focusedTestId,
  lastDraft,
  openConversation,
  saveScreenshots,
  TEST_TIMEOUT_MS,
  until,
  WAIT_MS,
  webConsolePerFile,
} from './helpers/web-console'

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'knowledge-base')

const web = webConsolePerFile()

/** A copy of the fixture documents: adding documents writes into the folder, and the fixture must stay as it is. */
function knowledgeFolder(): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'sc-kb-')), 'documents')
  cpSync(FIXTURE, folder, { recursive: true })
  return folder
}

/** A core whose knowledge base has finished indexing the folder (drafts retrieve from what is indexed so far). */
async function startCoreWithKnowledge(options: HarnessOptions = {}): Promise<Harness> {
  const h = await web.startCore(options)
  await until(async () => (await h.core.api.getKnowledgeBase()).state === 'ready', 'the knowledge base to be indexed', 60_000)
  return h
}

const RETURNS_QUESTION = 'Hi, I bought hiking boots three weeks ago and they do not fit. Can I still send them back for a refund?'

describe('a grounded draft in the console', () => {
  it(
    'shows its sources, and a citation opens the passage it cites in context',
    async () => {
      const h = await startCoreWithKnowledge({ env: { SUPPORT_CONSOLE_KB_DIR: knowledgeFolder() } })
      const id = await conversationWithCustomer(h, RETURNS_QUESTION)
      const reply = 'Yes: unworn items can be returned within 30 days of delivery [1]. Once we receive them, the refund goes back to your card [2].'
      h.emulator.enqueue({ chunks: reply.split(/(?<= )/), delayMs: 15 })
      const page = await web.openConsole(h)
      await openConversation(page, id)
      await page.getByTestId('draft-button').click()
      const panel = page.getByTestId('draft-panel')
      await until(async () => (await panel.getAttribute('data-status')) === 'complete', 'the draft to complete')

      // The draft was saved with the passages it was given, and the panel lists the same ones.
      const saved = lastDraft(h, id)
      expect(saved.text).toBe(reply)
      expect(saved.sources.length).toBeGreaterThanOrEqual(2)
      const first = saved.sources.find((s) => s.n === 1)
      if (!first) throw new Error('the draft has no source [1]')
      const items = page.getByTestId('draft-sources').getByTestId('source-item')
      expect(await items.count()).toBe(saved.sources.length)
      const firstItem = items.first()
      expect(await firstItem.textContent()).toContain(`[1]${first.title}`)
      expect(await firstItem.textContent()).toContain(first.path)

      // [1] in the text is a button named for its source; opening it shows the passage, highlighted, in its document.
      const citation = page.getByTestId('draft-preview').locator('[data-testid="citation"][data-citation="1"]')
      expect(await citation.getAttribute('aria-label')).toMatch(new RegExp(`^Source 1: ${escapeRegExp(first.title)}`))
      expect(await page.getByTestId('draft-preview').getByTestId('citation').count()).toBe(2)
      await citation.click()
      const dialog = page.getByTestId('passage-dialog')
      await dialog.waitFor({ timeout: WAIT_MS })
      expect(await dialog.getByTestId('passage-path').textContent()).toBe(first.path)
      const passage = dialog.getByTestId('passage-text')
      await until(async () => ((await passage.textContent()) ?? '').includes(first.text.slice(0, 40)), 'the passage text')
      expect(await dialog.locator('mark[data-testid="passage-text"]').count()).toBe(1)
      await until(async () => (await dialog.locator('.passage-context').getAttribute('data-loading')) === 'false', 'the text around the passage')
      await saveScreenshots(page, 'kb-passage-dialog')

      // In web mode the file cannot be opened, so the dialog does not offer it.
      expect(await dialog.getByTestId('open-document-button').count()).toBe(0)
      expect(await dialog.getByTestId('open-document-unavailable').count()).toBe(0)

      // Escape closes it and gives the keyboard back; a list item (by keyboard) opens the same dialog.
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'detached' })
      await firstItem.focus()
      await page.keyboard.press('Enter')
      await dialog.waitFor({ timeout: WAIT_MS })
      expect(await dialog.getByTestId('passage-path').textContent()).toBe(first.path)
      await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()
      await dialog.waitFor({ state: 'detached' })
      await saveScreenshots(page, 'kb-draft-with-sources')

      // A reload shows the saved draft with the same sources (from the message, not the live event).
      await page.reload()
      await page.getByTestId('new-conversation-button').waitFor({ timeout: WAIT_MS })
      await openConversation(page, id)
      await until(async () => (await page.getByTestId('source-item').count()) === saved.sources.length, 'the saved draft’s sources')
      expect(await page.getByTestId('draft-preview').getByTestId('citation').count()).toBe(2)
    },
    TEST_TIMEOUT_MS,
  )
})

describe('an offline draft', () => {
  it(
    'without an API key, "Draft from knowledge base" gives a labelled draft with sources that can be used',
    async () => {
      const h = await startCoreWithKnowledge({ env: { GEMINI_API_KEY: '' }, settings: { knowledgeBaseDir: knowledgeFolder() } })
      const id = await conversationWithCustomer(h, RETURNS_QUESTION)
      const page = await web.openConsole(h)
      await openConversation(page, id)
      expect(await page.getByTestId('draft-button').isDisabled()).toBe(true)
      const offer = page.getByTestId('offline-draft-offer')
      expect(await offer.textContent()).toContain('There is no Gemini API key.')
      await saveScreenshots(page, 'kb-offline-offer')

      await page.getByTestId('offline-draft-button').click()
      const label = page.getByTestId('offline-draft-label')
      await label.waitFor({ timeout: WAIT_MS })
      expect(await label.textContent()).toContain('Offline draft from the knowledge base — not written by Gemini')
      await offer.waitFor({ state: 'detached' })
      const saved = lastDraft(h, id)
      expect(saved).toMatchObject({ model: OFFLINE_DRAFT_MODEL, kind: 'offline', status: 'complete' })
      expect(saved.sources.length).toBeGreaterThan(0)
      expect(await page.getByTestId('draft-model').textContent()).toBe(OFFLINE_DRAFT_MODEL)
      expect(await page.getByTestId('source-item').count()).toBe(saved.sources.length)
      expect(h.emulator.requests).toHaveLength(0)
      await saveScreenshots(page, 'kb-offline-draft')

      // Editable and usable like any draft.
      await page.getByTestId('edit-mode-button').click()
      const editor = page.getByTestId('draft-editor')
      expect(await editor.inputValue()).toBe(saved.text)
      await editor.fill(`${saved.text}\n\nKind regards,\nSam`)
      await page.getByTestId('use-reply-button').click()
      const agentMessage = page.locator('[data-testid="message"][data-role="agent"]')
      await agentMessage.waitFor({ timeout: WAIT_MS })
      expect(await agentMessage.textContent()).toContain('Kind regards')
      const messages = h.core.store.getDetail(id)?.messages ?? []
      expect(messages.map((m) => m.role)).toEqual(['customer', 'assistant_draft', 'agent'])
      expect(messages[2]?.text).toBe(`${saved.text}\n\nKind regards,\nSam`)
    },
    TEST_TIMEOUT_MS,
  )
})

describe('Settings → Knowledge base', () => {
  it(
    'lists the documents, tries retrieval, and adds a picked document',
    async () => {
      const folder = knowledgeFolder()
      const h = await startCoreWithKnowledge({ settings: { knowledgeBaseDir: folder }, knowledgeWatcher: { debounceMs: 50, stableMs: 50 } })
      const indexed = await h.core.api.getKnowledgeBase()
      const page = await web.openConsole(h)
      await page.getByTestId('settings-button').click()
      const section = page.getByTestId('settings-knowledge-base')
      await section.getByTestId('knowledge-documents').waitFor({ timeout: WAIT_MS })
      expect(await section.getByTestId('knowledge-dir-input').inputValue()).toBe(folder)
      expect(await section.getByTestId('knowledge-status').getAttribute('data-state')).toBe('ready')
      expect(await section.getByTestId('knowledge-document').count()).toBe(indexed.documents.length)
      expect(await section.getByTestId('knowledge-status-text').textContent()).toContain(`${indexed.documents.length} documents`)
      await section.getByTestId('knowledge-pick-button').scrollIntoViewIfNeeded()
      await saveScreenshots(page, 'kb-settings-documents')

      await section.getByTestId('knowledge-search-input').fill('my tent pole snapped on the first night')
      await section.getByTestId('knowledge-search-input').press('Enter')
      const results = section.getByTestId('knowledge-search-result')
      await results.first().waitFor({ timeout: WAIT_MS })
      expect(await results.first().textContent()).toMatch(/score \d/)
      expect(await results.first().textContent()).toContain('products/tents.md')
      await section.getByTestId('knowledge-search-results').scrollIntoViewIfNeeded()
      await saveScreenshots(page, 'kb-settings-search')

      // A file picked in the console is copied into the folder and indexed; a type it cannot read is refused by name.
      await section.getByTestId('knowledge-file-input').setInputFiles([
        { name: 'bike-racks.md', mimeType: 'text/markdown', buffer: Buffer.from('# Bike racks\n\nRoof racks carry two bikes up to 20 kg each.\n') },
        { name: 'notes.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('x') },
      ])
      await section.getByTestId('knowledge-add-result').waitFor({ timeout: WAIT_MS })
      expect(await section.getByTestId('knowledge-add-result').textContent()).toContain('bike-racks.md')
      expect(await section.getByTestId('knowledge-refused').textContent()).toContain('notes.docx')
      expect(existsSync(join(folder, 'bike-racks.md'))).toBe(true)
      await section.locator('[data-testid="knowledge-document"][data-path="bike-racks.md"]').waitFor({ timeout: WAIT_MS })
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'shows a folder set by SUPPORT_CONSOLE_KB_DIR read-only, and checks the numbers before saving',
    async () => {
      const folder = knowledgeFolder()
      writeFileSync(join(folder, 'broken.pdf'), 'not a pdf at all')
      const h = await startCoreWithKnowledge({ env: { SUPPORT_CONSOLE_KB_DIR: folder } })
      const page = await web.openConsole(h)
      await page.getByTestId('settings-button').click()
      const section = page.getByTestId('settings-knowledge-base')
      const dir = section.getByTestId('knowledge-dir-input')
      await dir.waitFor({ timeout: WAIT_MS })
      expect(await dir.getAttribute('readonly')).not.toBeNull()
      expect(await section.getByTestId('knowledge-dir-hint').textContent()).toContain('SUPPORT_CONSOLE_KB_DIR')
      const broken = section.locator('[data-testid="knowledge-document"][data-path="broken.pdf"]')
      await broken.waitFor({ timeout: WAIT_MS })
      expect(await broken.getByTestId('knowledge-document-error').textContent()).toMatch(/^Could not be read: \S/)

      const passages = section.getByTestId('knowledge-passages-input')
      await passages.fill('50')
      await section.getByTestId('knowledge-save-button').click()
      expect(await passages.getAttribute('aria-invalid')).toBe('true')
      expect(h.core.settings.kbPassages).toBe(5)
      await passages.fill('8')
      await section.getByTestId('knowledge-save-button').click()
      await until(() => h.core.settings.kbPassages === 8, 'the passages setting to be saved')
      expect(await passages.getAttribute('aria-invalid')).toBe('false')
      expect(await focusedTestId(page)).toBe('knowledge-save-button')
    },
    TEST_TIMEOUT_MS,
  )
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
