// Drafts that are not a whole reply, end to end in web mode: the real built renderer served by the real core
// against the Gemini emulator, in Debian's Chromium (the same setup as web-console.test.ts). A reply cut off
// at the length limit, or a stream that ends with no finishReason, must be shown as such beside the draft,
// offer Regenerate, keep its text usable, and still say so when the conversation is opened again.
//
// (Setup, waits and screenshots: test/e2e/helpers/web-console.ts.)
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import type { Harness } from '../helpers/core-harness'
import {
  conversationWithCustomer,
  lastDraft,
  openConversation as showConversation,
  previewText,
  saveScreenshots,
  TEST_TIMEOUT_MS,
  until,
  untilAttribute,
  WAIT_MS,
  webConsolePerFile,
} from './helpers/web-console'

const web = webConsolePerFile()

/** A core with one conversation holding one customer message, made through its API (the UI is not what is tested). */
async function coreWithConversation(): Promise<{ h: Harness; id: number }> {
  const h = await web.startCore()
  return { h, id: await conversationWithCustomer(h) }
}

/** Opens the console as the link `npm run serve` prints does, then the conversation. */
async function openConversation(h: Harness, id: number): Promise<Page> {
  const page = await web.openConsole(h)
  await showConversation(page, id)
  return page
}

/** What the panel says about a cut-off draft, and that it offers Regenerate right there (and is not "Ready"). */
async function expectCutOffNotice(page: Page, title: string, sentence: RegExp): Promise<void> {
  const panel = page.getByTestId('draft-panel')
  await untilAttribute(panel, 'data-status', 'truncated')
  expect(await panel.getAttribute('data-phase')).toBe('ended')
  const notice = page.getByTestId('draft-error')
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.getAttribute('data-tone')).toBe('warning')
  expect(await notice.getAttribute('role')).toBe('alert')
  expect(await page.getByTestId('draft-error-title').textContent()).toBe(title)
  expect(await page.getByTestId('draft-error-message').textContent()).toMatch(sentence)
  expect(await page.getByTestId('draft-status').textContent()).toBe('Cut off')
  const regenerate = page.getByTestId('problem-regenerate-button')
  expect(await regenerate.isEnabled()).toBe(true)
  expect(await regenerate.textContent()).toBe('Regenerate')
  // Not a failure: there is no Retry, and the draft's end is marked where the text stops.
  expect(await page.getByTestId('retry-button').count()).toBe(0)
  await page.getByTestId('draft-cut-marker').waitFor({ timeout: WAIT_MS })
}

describe('a draft that is not a whole reply', () => {
  it(
    'cut off at the length limit: said beside the draft with Regenerate, text kept and editable, still said after a reload',
    async () => {
      const { h, id } = await coreWithConversation()
      const chunks = ['Thanks for your patience. ', 'Your parcel left the depot ', 'this morning and is now with the courier, who ']
      h.emulator.enqueue({ chunks, delayMs: 20, finishReason: 'MAX_TOKENS' })
      const page = await openConversation(h, id)
      await page.getByTestId('draft-button').click()

      await expectCutOffNotice(page, 'Cut off at the length limit', /^Gemini cut this draft off at the length limit/)
      expect(await previewText(page)).toBe(chunks.join('').trim())
      expect(lastDraft(h, id)).toMatchObject({ status: 'truncated', finishReason: 'MAX_TOKENS', text: chunks.join('') })
      // Screen readers hear it too, not "Draft ready".
      await until(
        async () => (await page.getByTestId('live-region').textContent()) === 'The draft was cut off before it finished.',
        'the announcement',
      )
      await saveScreenshots(page, 'draft-cut-off')

      // Reopened later (the page reloaded, the draft read from the transcript): still cut off, never "Ready".
      await page.reload()
      await showConversation(page, id)
      await expectCutOffNotice(page, 'Cut off at the length limit', /^Gemini cut this draft off at the length limit/)
      expect(await previewText(page)).toBe(chunks.join('').trim())

      // The text is the agent's to finish and use.
      await page.getByTestId('edit-mode-button').click()
      const editor = page.getByTestId('draft-editor')
      expect(await editor.inputValue()).toBe(chunks.join(''))
      await editor.fill(`${chunks.join('')}will deliver it tomorrow.`)
      expect(await page.getByTestId('use-reply-button').isEnabled()).toBe(true)

      // Regenerate right there drafts again (after confirming that the edit goes), and a whole reply is "Ready".
      h.emulator.enqueue({ chunks: ['Your parcel arrives tomorrow. ', 'Kind regards.'], delayMs: 5 })
      await page.getByTestId('problem-regenerate-button').click()
      await page.getByRole('button', { name: 'Discard and regenerate' }).click({ timeout: WAIT_MS })
      const panel = page.getByTestId('draft-panel')
      await untilAttribute(panel, 'data-status', 'complete')
      expect(await page.getByTestId('draft-error').count()).toBe(0)
      expect(await page.getByTestId('draft-cut-marker').count()).toBe(0)
      expect(await page.getByTestId('draft-status').textContent()).toBe('Ready')
      // The cut-off draft is now history in the transcript, still marked as cut off.
      const history = page.locator('[data-testid="message"][data-role="assistant_draft"][data-status="truncated"]')
      expect(await history.getByTestId('draft-history-status').textContent({ timeout: WAIT_MS })).toBe('cut off')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'the stream ended with no finishReason: "ended early", not finished',
    async () => {
      const { h, id } = await coreWithConversation()
      const chunks = ['We are sorry for the delay. ', 'The courier confirmed that ']
      h.emulator.enqueue({ chunks, delayMs: 20, finishReason: null })
      const page = await openConversation(h, id)
      await page.getByTestId('draft-button').click()

      await expectCutOffNotice(page, 'Ended before it finished', /^The stream ended early/)
      expect(await previewText(page)).toBe(chunks.join('').trim())
      expect(lastDraft(h, id)).toMatchObject({ status: 'truncated', finishReason: null, text: chunks.join('') })
      await saveScreenshots(page, 'draft-ended-early')

      await page.reload()
      await showConversation(page, id)
      await expectCutOffNotice(page, 'Ended before it finished', /^The stream ended early/)
    },
    TEST_TIMEOUT_MS,
  )
})
