// The React console end to end, as an agent uses it in web mode: the real built renderer (out/renderer)
// served by the real core (SQLite, the Gemini SDK, the local server) against the Gemini emulator, driven in
// Debian's Chromium. Each test has its own data folder and core; the browser is shared by the file.
// (Setup, waits and screenshots: test/e2e/helpers/web-console.ts.)
import { describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/domain'
import { GeminiEmulator } from '../emulator/gemini-emulator'
import { unnamedControls } from './helpers/accessibility'
import {
  conversationWithCustomer,
  focusedTestId,
  lastDraft,
  openConversation,
  previewText,
  saveScreenshots,
  TEST_TIMEOUT_MS,
  until,
  untilAttribute,
  webConsolePerFile,
} from './helpers/web-console'
import { freePort } from '../helpers/free-port'

const web = webConsolePerFile()

const count = (n: number | null): string => (n === null ? '–' : new Intl.NumberFormat('en-US').format(n))

describe('drafting in the web console', () => {
  it(
    'shows the draft progressively while it streams, then its model, timings and token counts',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h)
      const chunks = Array.from({ length: 30 }, (_, i) => `Sentence ${i + 1} of the reply. `)
      const finalText = chunks.join('').trim()
      h.emulator.enqueue({ chunks, delayMs: 40 })
      const page = await web.openConsole(h)
      await openConversation(page, id)

      // Every state the preview is rendered in, as it is committed to the DOM (not only what a poll happens
      // to catch), with the panel's phase at that moment.
      await page.evaluate(`(() => {
      window.draftSamples = []
      let last = null
      const record = () => {
        const preview = document.querySelector('[data-testid="draft-preview"]')
        if (!preview) return
        const sample = { phase: document.querySelector('[data-testid="draft-panel"]').getAttribute('data-phase'), text: preview.textContent.trim() }
        const key = sample.phase + '|' + sample.text
        if (key === last) return
        last = key
        window.draftSamples.push(sample)
      }
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
    })()`)
      await page.getByTestId('draft-button').click()
      const panel = page.getByTestId('draft-panel')
      await untilAttribute(panel, 'data-status', 'complete')
      expect(await previewText(page)).toBe(finalText)

      const samples = (await page.evaluate('window.draftSamples')) as Array<{ phase: string; text: string }>
      const streamed = samples.filter((s) => s.phase === 'streaming' && s.text !== '')
      // Intermediate states: prefixes of the final text, each longer than the one before, and more than a few.
      for (const sample of streamed) expect(finalText.startsWith(sample.text), sample.text).toBe(true)
      const lengths = streamed.map((s) => s.text.length)
      expect(lengths).toEqual([...lengths].sort((a, b) => a - b))
      expect(new Set(lengths).size).toBe(lengths.length)
      expect(lengths.filter((n) => n < finalText.length).length).toBeGreaterThan(3)
      expect(samples.at(-1)).toEqual({ phase: 'ended', text: finalText })

      // The figures of the saved draft, as the panel shows them.
      const saved = lastDraft(h, id)
      expect(saved).toMatchObject({ status: 'complete', text: chunks.join('') })
      expect(saved.model).toBeTruthy()
      expect(saved.usage.outputTokens).toBeGreaterThan(0)
      expect(await page.getByTestId('draft-model').textContent()).toBe(saved.model)
      expect(await page.getByTestId('draft-prompt-tokens').textContent()).toBe(count(saved.usage.promptTokens))
      expect(await page.getByTestId('draft-output-tokens').textContent()).toBe(count(saved.usage.outputTokens))
      expect(await page.getByTestId('draft-total-tokens').textContent()).toBe(`${count(saved.usage.totalTokens)} tokens`)
      expect(await page.getByTestId('draft-ttft').textContent()).toMatch(/^\d+(\.\d+)? (ms|s)$/)
      expect(await page.getByTestId('draft-rate').textContent()).toMatch(/^\d+(\.\d+)? tok\/s$/)
      await saveScreenshots(page, 'draft-finished-with-stats')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'Stop stays put while text streams, aborts the request to Gemini and keeps the text as "stopped"',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h)
      const chunks = Array.from({ length: 12 }, (_, i) => `Line ${i + 1}: we are checking with the carrier's depot about your parcel today.\n\n`)
      h.emulator.enqueue({ chunks, delayMs: 60, fault: { type: 'stall', afterChunks: chunks.length } })
      const page = await web.openConsole(h)
      await openConversation(page, id)

      const draftButton = page.getByTestId('draft-button')
      const stopButton = page.getByTestId('stop-button')
      const slot = await draftButton.boundingBox()
      await draftButton.click()
      await until(
        async () => (await page.getByTestId('draft-preview').count()) > 0 && (await previewText(page)).startsWith('Line 1:'),
        'the first chunk',
      )
      const early = await stopButton.boundingBox()
      // All twelve chunks shown (many lines more than at the first one); the emulator then holds the stream open.
      await until(async () => (await previewText(page)).includes('Line 12:') && h.emulator.openStreams === 1, 'the stalled stream')
      const late = await stopButton.boundingBox()
      expect(early).not.toBeNull()
      expect(late).toEqual(early)
      // The same fixed slot as "Draft reply": Stop is where the agent just clicked.
      expect(early).toEqual(slot)
      await saveScreenshots(page, 'draft-streaming')

      await stopButton.click()
      await until(() => h.emulator.openStreams === 0, 'the request to Gemini to be aborted')
      const panel = page.getByTestId('draft-panel')
      await untilAttribute(panel, 'data-status', 'stopped')
      expect(await panel.getAttribute('data-phase')).toBe('ended')
      await page.getByTestId('draft-error').waitFor()
      expect(await page.getByTestId('draft-error').getAttribute('data-tone')).toBe('notice')
      expect(await page.getByTestId('draft-status').textContent()).toBe('Stopped')
      expect(await previewText(page)).toContain('Line 12: we are checking')
      expect(lastDraft(h, id)).toMatchObject({ status: 'stopped', text: chunks.join(''), errorKind: 'cancelled' })
      // The API answers the same.
      const detail = (await (await fetch(`${h.url}/api/conversations/${id}`, { headers: h.headers })).json()) as { messages: Message[] }
      expect(detail.messages.at(-1)).toMatchObject({ role: 'assistant_draft', status: 'stopped', text: chunks.join('') })
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'shows a Gemini failure where the draft is, keeps the partial text, and offers Retry only where it can help',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h)
      const chunks = [
        'Thanks for your patience. ',
        'Your parcel left the depot ',
        'this morning and ',
        'should arrive ',
        'tomorrow. ',
        'Kind regards.',
      ]
      h.emulator.enqueue({ chunks, delayMs: 20, fault: { type: 'drop', afterChunks: 4 } })
      const page = await web.openConsole(h)
      await openConversation(page, id)
      await page.getByTestId('draft-button').click()

      const panel = page.getByTestId('draft-panel')
      await untilAttribute(panel, 'data-status', 'error')
      const error = page.getByTestId('draft-error')
      await error.waitFor()
      expect(await error.getAttribute('role')).toBe('alert')
      const message = await page.getByTestId('draft-error-message').textContent()
      expect(message).toBe('The connection to Gemini was lost while the draft was streaming. Try again.')
      await page.getByTestId('retry-button').waitFor()
      // The partial text stays on screen and in the transcript.
      const partial = chunks.slice(0, 4).join('')
      expect(await previewText(page)).toBe(partial.trim())
      expect(lastDraft(h, id)).toMatchObject({ status: 'error', text: partial, errorKind: 'network' })
      await saveScreenshots(page, 'draft-error')

      // Retry drafts again, and this time it works.
      h.emulator.enqueue({ chunks, delayMs: 5 })
      await page.getByTestId('retry-button').click()
      await untilAttribute(panel, 'data-status', 'complete')
      expect(await previewText(page)).toBe(chunks.join(''))
      expect(await page.getByTestId('draft-error').count()).toBe(0)

      // A refused key is not something retrying fixes: no Retry, the way to Settings instead, and no jargon.
      h.emulator.enqueue({
        chunks: [],
        fault: { type: 'http-error', status: 400, reason: 'API_KEY_INVALID', message: 'API key not valid. Please pass a valid API key.' },
      })
      await page.getByTestId('regenerate-button').click()
      await untilAttribute(panel, 'data-status', 'error')
      expect(await page.getByTestId('draft-error-message').textContent()).toBe('Gemini did not accept the API key. Check the key in Settings.')
      expect(await page.getByTestId('retry-button').count()).toBe(0)
      await page.getByTestId('error-settings-button').waitFor()
      expect(lastDraft(h, id)).toMatchObject({ status: 'error', errorKind: 'auth' })
      await saveScreenshots(page, 'draft-error-api-key')
    },
    TEST_TIMEOUT_MS,
  )
})

describe('transcripts in the web console', () => {
  it(
    'keeps the conversation, the used reply (as edited) and the draft across a restart and a reload',
    async () => {
      // A fixed port, so the restarted core is at the same address and the page can simply reload.
      const port = await freePort()
      const { h, page } = await web.start({ env: { SUPPORT_CONSOLE_PORT: String(port) } })
      const customerText = 'Hi, I was charged twice for order 4411. Can you refund one of the payments?'
      const chunks = ['Sorry about the double charge. ', 'I have refunded one payment; ', 'it shows within 5 working days.']
      h.emulator.enqueue({ chunks, delayMs: 10 })

      await page.getByTestId('new-conversation-button').click()
      const composer = page.getByTestId('customer-message-input')
      await composer.fill(customerText)
      await page.getByTestId('add-customer-message-button').click()
      await page.locator('[data-testid="message"][data-role="customer"]').waitFor()
      await page.getByTestId('draft-button').click()
      const panel = page.getByTestId('draft-panel')
      await untilAttribute(panel, 'data-status', 'complete')

      // The agent edits the draft and uses it.
      const edited = `${chunks.join('')}\n\nKind regards,\nSam`
      await page.getByTestId('edit-mode-button').click()
      await page.getByTestId('draft-editor').fill(edited)
      await page.getByTestId('use-reply-button').click()
      const agentMessage = page.locator('[data-testid="message"][data-role="agent"]')
      await agentMessage.waitFor()
      expect(await agentMessage.textContent()).toContain('Kind regards')
      const { conversations } = h.core.store.listConversations()
      expect(conversations).toHaveLength(1)
      const id = conversations[0]?.id as number
      const saved = h.core.store.getDetail(id)?.messages ?? []
      expect(saved.map((m) => [m.role, m.status])).toEqual([
        ['customer', 'complete'],
        ['assistant_draft', 'complete'],
        ['agent', 'complete'],
      ])
      expect(saved[2]?.text).toBe(edited)
      expect(saved[1]?.text).toBe(chunks.join(''))

      await h.restart()
      await page.reload()
      await page.getByTestId('new-conversation-button').waitFor()
      const item = page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`)
      await item.waitFor()
      // Named after the customer's first message.
      expect(await item.getByTestId('conversation-item-title').textContent()).toContain('charged twice')
      await openConversation(page, id)
      const shown = page.getByTestId('transcript').getByTestId('message')
      await until(async () => (await shown.count()) === 3, 'the three messages')
      const roles = await page.evaluate(
        '[...document.querySelectorAll(\'[data-testid="transcript"] [data-testid="message"]\')].map((el) => el.dataset.role)',
      )
      expect(roles).toEqual(['customer', 'assistant_draft', 'agent'])
      expect(await shown.nth(0).textContent()).toContain(customerText)
      const reply = page.locator('[data-testid="message"][data-role="agent"]')
      expect(await reply.textContent()).toContain('it shows within 5 working days.')
      expect(await reply.textContent()).toContain('Sam')
      // The reply was used: nothing is left in the draft panel.
      expect(await panel.getAttribute('data-phase')).toBe('idle')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'search finds an older message, highlights the word, and jumps to the message in its conversation',
    async () => {
      const h = await web.startCore()
      const api = h.core.api
      const word = 'quokkaberry'
      // The oldest conversation: a long exchange with the word in an early message, so opening it normally
      // (scrolled to the latest message) does not show it.
      const { id: target } = await api.createConversation({})
      let targetMessageId = 0
      for (let i = 0; i < 12; i++) {
        const text =
          i === 1
            ? `Also, the ${word} jam in my order was missing its lid. Please advise.`
            : `Customer message ${i + 1}: still waiting for the delivery window to be confirmed by the courier.`
        const message = await api.addCustomerMessage(target, text)
        if (i === 1) targetMessageId = message.id
        await api.useReply(target, `Reply ${i + 1}: thanks, we have asked the courier again and will update you here.`)
      }
      const others: number[] = []
      for (const topic of [
        'refund for a broken kettle',
        'change of delivery address',
        'invoice with the wrong VAT number',
        'account locked after password reset',
      ]) {
        const { id } = await api.createConversation({})
        await api.addCustomerMessage(id, `Hello, I need help with a ${topic}.`)
        others.push(id)
      }
      const page = await web.openConsole(h)
      const items = page.getByTestId('conversation-item')
      await until(async () => (await items.count()) === 5, 'five conversations in the list')
      // Newest first: the target is last.
      expect(await items.last().getAttribute('data-conversation-id')).toBe(String(target))

      const messageEl = page.locator(`[data-testid="message"][data-message-id="${targetMessageId}"]`)
      const where = (): Promise<{ flash: boolean; inView: boolean }> =>
        page.evaluate(`(() => {
        const el = document.querySelector('[data-message-id="${targetMessageId}"]')
        if (!el) return { flash: false, inView: false }
        const view = el.closest('[data-testid="transcript"]').getBoundingClientRect()
        const box = el.getBoundingClientRect()
        return { flash: el.classList.contains('is-flash'), inView: box.height > 0 && box.top >= view.top - 1 && box.bottom <= view.bottom + 1 }
      })()`) as Promise<{ flash: boolean; inView: boolean }>
      await openConversation(page, target)
      await messageEl.waitFor({ state: 'attached' })
      await until(
        async () => (await page.evaluate('document.querySelector(\'[data-testid="transcript"]\').scrollTop')) !== 0,
        'the transcript to show its latest message',
      )
      expect(await where()).toEqual({ flash: false, inView: false })
      await openConversation(page, others[0] as number)

      await page.getByTestId('search-input').fill(word)
      await until(async () => (await items.count()) === 1 && (await page.getByTestId('search-snippet').count()) === 1, 'one search result')
      const marks = await page.getByTestId('search-snippet').locator('mark').allTextContents()
      expect(marks.map((m) => m.toLowerCase())).toEqual([word])
      expect(await page.getByTestId('search-snippet').textContent()).toContain('jam in my order')
      await saveScreenshots(page, 'search-results')

      await items.first().click()
      let sawFlash = false
      await until(async () => {
        const state = await where()
        sawFlash ||= state.flash
        return sawFlash && state.inView
      }, 'the message to be scrolled into view and flashed')
      expect(await messageEl.textContent()).toContain(`the ${word} jam`)
    },
    TEST_TIMEOUT_MS,
  )
})

describe('without an API key', () => {
  it(
    'opens, shows transcripts and how to add a key; once added in Settings, drafting works',
    async () => {
      const key = 'AIza-e2e-settings-key-48213'
      const emulator = await GeminiEmulator.start({ apiKey: key })
      // Closed after the core that uses it (cleanups run last-added first).
      web.afterThisTest(() => emulator.close())
      const h = await web.startCore({ emulator, env: { GEMINI_API_KEY: '' } })
      const id = await conversationWithCustomer(h, 'Do you ship to Norway?')
      await h.core.api.useReply(id, 'Yes, we ship to Norway within 5 days.')
      await h.core.api.addCustomerMessage(id, 'Great, and what does it cost?')
      const page = await web.openConsole(h)

      const banner = page.getByTestId('api-key-banner')
      await banner.waitFor()
      await openConversation(page, id)
      const messages = page.getByTestId('transcript').getByTestId('message')
      await until(async () => (await messages.count()) === 3, 'the transcript')
      expect(await messages.nth(1).textContent()).toContain('we ship to Norway')
      expect(await page.getByTestId('draft-button').isDisabled()).toBe(true)
      expect(await page.getByTestId('draft-blocked-hint').textContent()).toContain('Add a Gemini API key in Settings')
      // The shortcut does nothing either: a frame later the panel has not started a draft, and Gemini was never called.
      await page.keyboard.press('Control+d')
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))')
      expect(await page.getByTestId('draft-panel').getAttribute('data-phase')).toBe('idle')
      expect(emulator.requests).toHaveLength(0)
      await saveScreenshots(page, 'no-api-key-banner')

      await page.getByTestId('add-api-key-button').click()
      const dialog = page.getByTestId('settings-dialog')
      await dialog.waitFor()
      const input = page.getByTestId('settings-api-key-input')
      await until(async () => (await focusedTestId(page)) === 'settings-api-key-input', 'the key field to have focus')
      expect(await page.getByTestId('settings-api-key-status').getAttribute('data-storage')).toBe('none')
      await saveScreenshots(page, 'settings')
      await input.fill(key)
      await page.getByTestId('settings-save-button').click()
      await dialog.waitFor({ state: 'detached' })
      await banner.waitFor({ state: 'detached' })
      expect(await page.content()).not.toContain(key)

      emulator.enqueue({ chunks: ['Shipping to Norway ', 'costs 12 EUR.'], delayMs: 10 })
      const draftButton = page.getByTestId('draft-button')
      await until(async () => !(await draftButton.isDisabled()), 'Draft reply to be enabled')
      await draftButton.click()
      await untilAttribute(page.getByTestId('draft-panel'), 'data-status', 'complete')
      expect(await previewText(page)).toBe('Shipping to Norway costs 12 EUR.')
      expect(emulator.requests.at(-1)?.headers['x-goog-api-key']).toBe(key)
    },
    TEST_TIMEOUT_MS,
  )
})

describe('accessibility and keyboard', () => {
  it(
    'names every control on the main screens; Ctrl+K searches, Ctrl+D drafts, Escape stops, Ctrl+Enter adds the message',
    async () => {
      const h = await web.startCore()
      const id = await conversationWithCustomer(h)
      const page = await web.openConsole(h)
      await page.getByTestId('conversation-item').waitFor()
      const screens: Record<string, string[]> = {}
      screens.welcome = await unnamedControls(page)

      // A conversation with a finished draft: every draft control is there.
      h.emulator.enqueue({ chunks: ['We are on it: ', '[tracking](https://example.com/track).'], delayMs: 5 })
      await openConversation(page, id)
      await page.getByTestId('draft-button').click()
      await untilAttribute(page.getByTestId('draft-panel'), 'data-status', 'complete')
      screens.conversation = await unnamedControls(page)
      await page.getByTestId('edit-mode-button').click()
      await page.getByTestId('draft-editor').waitFor()
      screens.editing = await unnamedControls(page)
      await page.getByTestId('preview-mode-button').click()

      await page.getByTestId('settings-button').click()
      await page.getByTestId('settings-dialog').waitFor()
      screens.settings = await unnamedControls(page)
      await page.keyboard.press('Escape')
      await page.getByTestId('settings-dialog').waitFor({ state: 'detached' })

      await page.getByTestId('search-input').fill('parcel')
      await page.getByTestId('search-snippet').first().waitFor()
      screens.search = await unnamedControls(page)
      expect(screens).toEqual({ welcome: [], conversation: [], editing: [], settings: [], search: [] })

      // Ctrl+K: to the search box, from anywhere.
      await page.getByTestId('transcript').focus()
      await page.keyboard.press('Control+k')
      expect(await focusedTestId(page)).toBe('search-input')
      // Escape in the search box clears it first.
      await page.keyboard.press('Escape')
      await until(async () => (await page.getByTestId('search-input').inputValue()) === '', 'the search box to be cleared')
      await page.getByTestId('transcript').focus()

      // Ctrl+D drafts (here a regenerate: the finished draft was not edited), Escape stops it.
      const before = h.emulator.requests.length
      h.emulator.enqueue({ chunks: ['Half a reply'], fault: { type: 'stall', afterChunks: 1 } })
      await page.keyboard.press('Control+d')
      const panel = page.getByTestId('draft-panel')
      await untilAttribute(panel, 'data-phase', 'streaming')
      await until(() => h.emulator.openStreams === 1, 'the request to Gemini')
      expect(h.emulator.requests.length).toBe(before + 1)
      await page.getByTestId('stop-button').waitFor()
      await page.keyboard.press('Escape')
      await untilAttribute(panel, 'data-status', 'stopped')
      await until(() => h.emulator.openStreams === 0, 'the request to be aborted')
      expect(lastDraft(h, id)).toMatchObject({ status: 'stopped', text: 'Half a reply' })
      // Screen readers hear how the draft ended (not every token).
      await until(async () => (await page.getByTestId('live-region').textContent()) === 'Draft stopped.', 'the stop to be announced')

      // Ctrl+Enter adds the customer's message from its box.
      await page.getByTestId('customer-message-input').fill('One more thing: can it go to my office instead?')
      await page.keyboard.press('Control+Enter')
      const customerMessages = page.locator('[data-testid="transcript"] [data-testid="message"][data-role="customer"]')
      await until(async () => (await customerMessages.count()) === 2, 'the second customer message')
      expect(await customerMessages.last().textContent()).toContain('go to my office')

      // The theme follows the OS.
      const background = (): Promise<unknown> => page.evaluate('getComputedStyle(document.body).backgroundColor')
      await page.emulateMedia({ colorScheme: 'light' })
      const light = await background()
      await page.emulateMedia({ colorScheme: 'dark' })
      expect(await background()).not.toBe(light)
      await page.emulateMedia({ colorScheme: 'light' })
    },
    TEST_TIMEOUT_MS,
  )
})
