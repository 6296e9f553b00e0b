// The React console end to end in web mode, as the browser test files share it: the real built renderer
// (out/renderer) served by the real core against the Gemini emulator (test/helpers/core-harness.ts), in the
// file's Chromium (test/helpers/browser-per-file.ts). Each test's cores and pages are closed after it, and an
// uncaught exception in a page fails the test: it is a bug even when the screen looked right.
//
// In-page code is passed to page.evaluate as strings: these files are typechecked without the DOM library, and the
// console's CSP forbids eval, so page.waitForFunction cannot be used (waits poll from here instead).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright'
import { beforeAll, expect } from 'vitest'
import type { Message } from '../../../src/shared/domain'
import { builtWebConsole, PROJECT_ROOT } from '../../../src/main/core/cli/web-console'
import { chromiumPerFile, type ChromiumPerFile } from '../../helpers/browser-per-file'
import { startHarness, TEST_TOKEN, type Harness, type HarnessOptions } from '../../helpers/core-harness'

export const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'screenshots')
/** Generous: two workers share two cores with Chromium, and a slow run must not be a failed one. */
export const TEST_TIMEOUT_MS = 90_000
export const WAIT_MS = 20_000

export interface OpenOptions {
  /** Where to open, e.g. with a filter in its query; default `/`. */
  path?: string
  /** Default 1280 × 800. */
  viewport?: { width: number; height: number }
  /** Granted to the console's origin before it opens, e.g. clipboard access. */
  permissions?: string[]
}

export interface WebConsoleFile {
  /** Runs `cleanup` after the current test, after the pages and cores opened later have been closed. */
  afterThisTest: ChromiumPerFile['afterThisTest']
  /** A core serving the built console (closed after the test). */
  startCore(options?: HarnessOptions): Promise<Harness>
  /** Opens the console as the link `npm run serve` prints does, and waits until it has loaded its data. */
  openConsole(h: Harness, options?: OpenOptions): Promise<Page>
  /** A core and the console open on it. */
  start(options?: HarnessOptions): Promise<{ h: Harness; page: Page }>
}

/** For a browser test file of the web console: registers its hooks and returns what its tests start with. */
export function webConsolePerFile(): WebConsoleFile {
  const chromium = chromiumPerFile()
  let webConsoleDir: string | undefined
  beforeAll(() => {
    // test/global-setup.ts built out/ (when it was missing or older than its sources).
    webConsoleDir = builtWebConsole()
    if (!webConsoleDir) throw new Error('electron-vite build produced no out/renderer/index.html')
    mkdirSync(SCREENSHOTS, { recursive: true })
  })
  const startCore = async (options: HarnessOptions = {}): Promise<Harness> => {
    const h = await startHarness({ webConsoleDir, ...options })
    chromium.afterThisTest(() => h.close())
    return h
  }
  const openConsole = async (h: Harness, options: OpenOptions = {}): Promise<Page> => {
    if (options.permissions) await chromium.browser.context.grantPermissions(options.permissions, { origin: h.url })
    const page = await chromium.browser.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    // Added before the page's close, so it runs after it: every error the page threw up to its end.
    chromium.afterThisTest(async () => expect(pageErrors, 'uncaught errors in the page').toEqual([]))
    chromium.afterThisTest(() => page.close())
    await page.setViewportSize(options.viewport ?? { width: 1280, height: 800 })
    await page.goto(`${h.url}${options.path ?? '/'}#token=${encodeURIComponent(TEST_TOKEN)}`)
    await page.getByTestId('new-conversation-button').waitFor({ timeout: WAIT_MS })
    return page
  }
  return {
    afterThisTest: chromium.afterThisTest,
    startCore,
    openConsole,
    async start(options) {
      const h = await startCore(options)
      return { h, page: await openConsole(h) }
    },
  }
}

/** Polls `check` until it holds; fails naming `what` (evaluated then, so it can say what was last seen). */
export async function until(check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((resolve) => setTimeout(resolve, 15))
  }
}

/** Waits until the element's attribute has `value`; `label` names the element in the timeout message. */
export async function untilAttribute(locator: Locator, name: string, value: string, label?: string): Promise<void> {
  let last: string | null = null
  await until(
    async () => (last = await locator.getAttribute(name, { timeout: WAIT_MS })) === value,
    () => `${label ? `${label} ` : ''}${name}="${value}" (last seen "${last}")`,
  )
}

/** The rendered draft text (Markdown rendered, so paragraph breaks and trailing spaces are not in it). */
export const previewText = async (page: Page): Promise<string> =>
  ((await page.getByTestId('draft-preview').textContent({ timeout: WAIT_MS })) ?? '').trim()

export const focusedTestId = (page: Page): Promise<unknown> =>
  page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")')

/** test-results/screenshots/<name>-light.png and -dark.png, of the page or of one element on it. */
export async function saveScreenshots(page: Page, name: string, of?: Locator): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // Canvas charts redraw in the new theme's colours on the next frame.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
    await (of ?? page).screenshot({ path: join(SCREENSHOTS, `${name}-${colorScheme}.png`), animations: 'disabled' })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** A conversation with one customer message, made through the core's API (the UI is not what is tested). */
export async function conversationWithCustomer(h: Harness, text = 'Hello, my parcel has not arrived. Where is it?'): Promise<number> {
  const { id } = await h.core.api.createConversation({})
  await h.core.api.addCustomerMessage(id, text)
  return id
}

/** Clicks the conversation in the list and waits until it is shown. */
export async function openConversation(page: Page, id: number): Promise<void> {
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`).click({ timeout: WAIT_MS })
  await page.locator(`[data-testid="conversation-view"][data-conversation-id="${id}"]`).waitFor({ timeout: WAIT_MS })
}

/** The conversation's drafts as saved, oldest first. */
export const drafts = (h: Harness, id: number): Message[] => h.core.store.getDetail(id)?.messages.filter((m) => m.role === 'assistant_draft') ?? []

export function lastDraft(h: Harness, conversationId: number): Message {
  const draft = drafts(h, conversationId).at(-1)
  if (!draft) throw new Error(`conversation ${conversationId} has no draft`)
  return draft
}
