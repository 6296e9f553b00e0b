// Steering a draft in the web console, end to end: a rewrite that streams in and is undone, a snippet inserted
// from the reply editor's picker, feedback that survives a reload, and the conversation summary at the top.
// The same setup as web-console.test.ts (test/e2e/helpers/web-console.ts): the built renderer served by the real core
// against the Gemini emulator, driven in Debian's Chromium; in-page code is passed as strings (no DOM types here, and
// the CSP forbids eval).
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import type { Harness } from '../helpers/core-harness'
import {
  conversationWithCustomer,
  drafts,
  openConversation,
  previewText,
  saveScreenshots,
  TEST_TIMEOUT_MS,
  until,
  untilAttribute as untilLocatorAttribute,
  WAIT_MS,
  webConsolePerFile,
} from './helpers/web-console'

const web = webConsolePerFile()

/** Waits until the first element with the test id has the attribute's value. */
const untilAttribute = (page: Page, testId: string, name: string, value: string): Promise<void> =>
  untilLocatorAttribute(page.getByTestId(testId).first(), name, value, testId)

/** Drafts a reply with the given text and waits until it is complete. */
async function draftReply(h: Harness, page: Page, chunks: string[]): Promise<void> {
  h.emulator.enqueue({ chunks, delayMs: 5 })
  await page.getByTestId('draft-button').click()
  await untilAttribute(page, 'draft-panel', 'data-status', 'complete')
}

/** Every text the preview was rendered with while the panel said it was streaming. */
async function recordStreamedTexts(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.streamed = []
    new MutationObserver(() => {
      const panel = document.querySelector('[data-testid="draft-panel"]')
      const preview = document.querySelector('[data-testid="draft-preview"]')
      if (panel && preview && panel.getAttribute('data-phase') === 'streaming') window.streamed.push(preview.textContent.trim())
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
  })()`)
}

describe('steering a draft in the web console', () => {
  it(
    'rewrites the draft "Shorter" as a stream, labels it, and Undo (button or Ctrl+Z) brings back the text before',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h)
      const page = await web.openConsole(h)
      await openConversation(page, id)
      const original = 'Thank you for getting in touch. Your parcel left our depot on Monday and the carrier expects to deliver it tomorrow.'
      await draftReply(h, page, [original])
      expect(await previewText(page)).toBe(original)

      const shorter = ['Your parcel ', 'left on Monday ', 'and arrives ', 'tomorrow.']
      h.emulator.enqueue({ chunks: shorter, delayMs: 80 })
      await recordStreamedTexts(page)
      await page.getByTestId('rewrite-button').click()
      await page.getByTestId('rewrite-menu').waitFor()
      await page.getByTestId('rewrite-shorter').click()
      await untilAttribute(page, 'draft-panel', 'data-status', 'complete')
      const rewritten = shorter.join('')
      await until(async () => (await previewText(page)) === rewritten, 'the rewritten text')
      expect(await page.getByTestId('rewrite-label').textContent()).toBe('Shorter')

      // It streamed: partial texts, each a beginning of the rewrite, were shown before the end.
      const streamed = ((await page.evaluate('window.streamed')) as string[]).filter((t) => t !== '' && t !== rewritten)
      expect(streamed.length).toBeGreaterThan(0)
      for (const text of streamed) expect(rewritten.startsWith(text), text).toBe(true)
      // Gemini was asked to rewrite the original text, and the rewrite is saved as its own kind of draft.
      expect(JSON.stringify(h.emulator.requests.at(-1)?.body)).toContain('Your parcel left our depot on Monday')
      expect(drafts(h, id).at(-1)).toMatchObject({ kind: 'rewrite', text: rewritten, status: 'complete' })
      await saveScreenshots(page, 'steering-rewrite')

      await page.getByTestId('undo-rewrite-button').click()
      await until(async () => (await previewText(page)) === original, 'the original text back')
      expect(await page.getByTestId('rewrite-label').count()).toBe(0)
      expect(await page.getByTestId('undo-rewrite-button').count()).toBe(0)

      // Again, undone this time with Ctrl+Z while focus is outside any text field.
      h.emulator.enqueue({ chunks: ['Friendly ', 'version.'], delayMs: 10 })
      await page.getByTestId('rewrite-button').click()
      await page.getByTestId('rewrite-friendlier').click()
      await until(async () => (await previewText(page)) === 'Friendly version.', 'the friendlier rewrite')
      await page.getByTestId('draft-preview').click()
      await page.keyboard.press('Control+z')
      await until(async () => (await previewText(page)) === original, 'the original text back after Ctrl+Z')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'inserts a snippet chosen with the keyboard from the "/" picker at the cursor, placeholders filled where known',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h, 'Can I get a refund for my order?')
      await h.core.api.createSnippet({ title: 'Greeting', body: 'Hello there!', shortcut: 'hi' })
      await h.core.api.createSnippet({
        title: 'Refund policy',
        body: 'Hi {customer_name}, about “{conversation_title}”: refunds take 5 days.',
        shortcut: 'refund',
      })
      const title = h.core.store.getDetail(id)?.conversation.title ?? ''
      const page = await web.openConsole(h)
      await openConversation(page, id)

      const editor = page.getByTestId('draft-editor')
      await editor.click()
      await page.keyboard.type('Thanks! /ref')
      const picker = page.getByRole('listbox', { name: 'Snippets' })
      await picker.waitFor({ timeout: WAIT_MS })
      const options = picker.getByRole('option')
      await until(async () => (await options.count()) === 1, 'the list filtered to one snippet')
      expect(await options.first().textContent()).toContain('Refund policy')
      expect(await options.first().getAttribute('aria-selected')).toBe('true')
      expect(await editor.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'))
      await saveScreenshots(page, 'steering-snippet-picker')
      await page.keyboard.press('Enter')
      await picker.waitFor({ state: 'detached' })

      const expected = `Thanks! Hi {customer_name}, about “${title}”: refunds take 5 days.`
      expect(await editor.inputValue()).toBe(expected)
      // The unknown name is left in, selected for the agent to type over.
      const selection = (await page.evaluate('[document.activeElement.selectionStart, document.activeElement.selectionEnd]')) as [number, number]
      expect(expected.slice(...selection)).toBe('{customer_name}')
      await page.keyboard.type('Ana')
      expect(await editor.inputValue()).toBe(`Thanks! Hi Ana, about “${title}”: refunds take 5 days.`)

      // The shortcut opens it at the cursor too; ↓ moves, Enter inserts, Esc would close.
      // The end of the text (End alone goes to the end of the wrapped line).
      await page.keyboard.press('Control+End')
      await page.keyboard.type(' ')
      await page.keyboard.press('Control+/')
      await picker.waitFor()
      await until(async () => (await options.count()) === 2, 'both snippets listed')
      await page.keyboard.press('ArrowDown')
      expect(await options.nth(1).getAttribute('aria-selected')).toBe('true')
      await page.keyboard.press('ArrowUp')
      await page.keyboard.press('Enter')
      expect(await editor.inputValue()).toBe(`Thanks! Hi Ana, about “${title}”: refunds take 5 days. Hello there!`)
      await page.keyboard.type(' /')
      await picker.waitFor()
      await page.keyboard.press('Escape')
      await picker.waitFor({ state: 'detached' })
      expect(await editor.inputValue()).toMatch(/Hello there! \/$/)
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'saves a thumbs down with its reason, shows it after a reload, and takes it back',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h)
      const page = await web.openConsole(h)
      await openConversation(page, id)
      await draftReply(h, page, ['Our refund policy is 90 days.'])

      await page.getByTestId('feedback-down').click()
      const reason = page.getByTestId('feedback-reason-input')
      await reason.waitFor()
      await reason.fill('Wrong refund policy')
      await page.getByTestId('feedback-reason-save').click()
      await page.getByTestId('feedback-reason').waitFor()
      await until(() => drafts(h, id).at(-1)?.feedback?.reason === 'Wrong refund policy', 'the feedback saved')
      expect(drafts(h, id).at(-1)?.feedback).toMatchObject({ rating: 'down', reason: 'Wrong refund policy' })

      await page.reload()
      await page.getByTestId('new-conversation-button').waitFor({ timeout: WAIT_MS })
      await openConversation(page, id)
      const feedback = page.getByTestId('draft-panel').getByTestId('draft-feedback')
      await untilAttribute(page, 'draft-feedback', 'data-rating', 'down')
      expect(await feedback.getByTestId('feedback-down').getAttribute('aria-pressed')).toBe('true')
      expect(await feedback.getByTestId('feedback-reason').textContent()).toContain('Wrong refund policy')
      await saveScreenshots(page, 'steering-feedback')

      // Pressed again, it is taken back.
      await feedback.getByTestId('feedback-down').click()
      await untilAttribute(page, 'draft-feedback', 'data-rating', '')
      await until(() => drafts(h, id).at(-1)?.feedback === null, 'the feedback removed')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'streams a summary to the top of the conversation, keeps it, and shows it on the list’s hover',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h, 'My order #1234 arrived broken. I want a replacement, not a refund.')
      const page = await web.openConsole(h)
      await openConversation(page, id)

      const chunks = ['**Issue:** order #1234 arrived broken.\n\n', '**Promised:** nothing yet.\n\n', '**Open questions:** replacement stock.']
      h.emulator.enqueue({ chunks, delayMs: 60 })
      await page.getByTestId('summarize-button').click()
      await untilAttribute(page, 'summary-panel', 'data-phase', 'streaming')
      await until(async () => (await page.getByTestId('summary-panel').getAttribute('data-phase')) === 'ended', 'the summary to end')
      await until(
        async () => ((await page.getByTestId('summary-text').textContent()) ?? '').includes('Open questions: replacement stock.'),
        'the saved summary',
      )
      const saved = h.core.store.getDetail(id)?.conversation.summary
      expect(saved).toBe(chunks.join(''))
      // The draft panel was not taken over by the summary.
      expect(await page.getByTestId('draft-panel').getAttribute('data-phase')).toBe('idle')
      const row = page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`)
      await until(async () => ((await row.getAttribute('title')) ?? '').includes('order #1234 arrived broken'), 'the summary on the list item')
      await saveScreenshots(page, 'steering-summary')

      // Folded away and back.
      const toggle = page.getByRole('button', { name: 'Summary' })
      await toggle.click()
      expect(await toggle.getAttribute('aria-expanded')).toBe('false')
      expect(await page.getByTestId('summary-text').count()).toBe(0)
      await toggle.click()
      await page.getByTestId('summary-text').waitFor()
    },
    TEST_TIMEOUT_MS,
  )
  it(
    'manages snippets in their dialog: create, search, edit, delete after confirming, export and import a JSON file',
    async () => {
      const h = await web.startCore()
      const page = await web.openConsole(h)
      await page.getByTestId('snippets-button').click()
      const dialog = page.getByTestId('snippets-dialog')
      await dialog.getByTestId('snippets-empty').waitFor({ timeout: WAIT_MS })

      for (const [title, shortcut, body] of [
        ['Refund policy', 'refund', 'Refunds take {days} days.'],
        ['Greeting', '', 'Hello {customer_name}!'],
      ] as const) {
        await dialog.getByTestId('new-snippet-button').click()
        await dialog.getByTestId('snippet-title').fill(title)
        await dialog.getByTestId('snippet-shortcut').fill(shortcut)
        await dialog.getByTestId('snippet-body').fill(body)
        await dialog.getByTestId('save-snippet-button').click()
        await dialog.locator('[data-testid="snippet-item"]', { hasText: title }).waitFor({ timeout: WAIT_MS })
      }
      expect((await h.core.api.listSnippets({})).map((s) => [s.title, s.shortcut]).sort()).toEqual([
        ['Greeting', null],
        ['Refund policy', 'refund'],
      ])
      await saveScreenshots(page, 'steering-snippets-dialog')

      await dialog.getByTestId('snippets-search').fill('refund')
      await until(async () => (await dialog.getByTestId('snippet-item').count()) === 1, 'the search to leave one snippet')
      await dialog.getByRole('button', { name: 'Edit “Refund policy”' }).click()
      await dialog.getByTestId('snippet-body').fill('Refunds take 5 days.')
      await dialog.getByTestId('save-snippet-button').click()
      await dialog.locator('[data-testid="snippet-item"]', { hasText: 'Refunds take 5 days.' }).waitFor({ timeout: WAIT_MS })

      const downloading = page.waitForEvent('download')
      await dialog.getByTestId('export-snippets-button').click()
      const exported = await (await downloading).createReadStream()
      let file = ''
      for await (const chunk of exported) file += String(chunk)
      expect(JSON.parse(file)).toMatchObject({
        version: 1,
        snippets: expect.arrayContaining([expect.objectContaining({ body: 'Refunds take 5 days.' })]),
      })

      await dialog.getByTestId('delete-snippet-button').click()
      const confirm = page.getByTestId('confirm-delete-snippet-dialog')
      await confirm.getByTestId('confirm-button').click()
      await until(async () => (await h.core.api.listSnippets({})).length === 1, 'the snippet deleted')

      // The exported file brings it back; the one still there is skipped, not doubled.
      await dialog
        .getByTestId('import-snippets-file')
        .setInputFiles({ name: 'snippets.json', mimeType: 'application/json', buffer: Buffer.from(file) })
      await until(async () => (await h.core.api.listSnippets({})).length === 2, 'the snippet imported')
      await dialog.getByTestId('snippets-search').fill('')
      await until(async () => (await dialog.getByTestId('snippet-item').count()) === 2, 'both snippets listed again')
    },
    TEST_TIMEOUT_MS,
  )
})
