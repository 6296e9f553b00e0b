// Integration keys end to end, as an agent manages them in web mode: the real built renderer (out/renderer) served by
// the real core against the Gemini emulator, in Debian's Chromium (the setup of web-console.test.ts). The key made in
// Settings is then used from Node as an integration would: it streams drafts, is refused what its scopes do not
// allow, and is refused altogether from the request after it was revoked.
//
// In-page code is passed to page.evaluate as strings: this file is typechecked without the DOM library.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { builtWebConsole, PROJECT_ROOT } from '../../src/main/core/cli/web-console'
import { launchChromium, type LaunchedChromium } from '../helpers/chromium'
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/core-harness'

const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'screenshots')
/** Generous: two workers share two cores with Chromium, and a slow run must not be a failed one. */
const TEST_TIMEOUT_MS = 90_000
const WAIT_MS = 20_000

let browser: LaunchedChromium
let webConsoleDir: string

beforeAll(async () => {
  // test/global-setup.ts built out/ (when it was missing or older than its sources).
  const dir = builtWebConsole()
  if (!dir) throw new Error('electron-vite build produced no out/renderer/index.html')
  webConsoleDir = dir
  mkdirSync(SCREENSHOTS, { recursive: true })
  browser = await launchChromium()
}, 10 * 60_000)

afterAll(async () => {
  await browser?.close()
})

let current: { h?: Harness; page?: Page; pageErrors: string[] } = { pageErrors: [] }

afterEach(async () => {
  const { h, page, pageErrors } = current
  current = { pageErrors: [] }
  await page?.close()
  await h?.close()
  // An uncaught exception in the console is a bug even when the screen looked right.
  expect(pageErrors, 'uncaught errors in the page').toEqual([])
})

/** Opens the console as the link `npm run serve` prints does, and waits until it has loaded its data. */
async function openConsole(h: Harness): Promise<Page> {
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url })
  const page = await browser.newPage()
  current.page = page
  page.on('pageerror', (error) => current.pageErrors.push(error.message))
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${h.url}/#token=${encodeURIComponent(TEST_TOKEN)}`)
  await page.getByTestId('new-conversation-button').waitFor({ timeout: WAIT_MS })
  return page
}

async function until(check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((resolve) => setTimeout(resolve, 15))
  }
}

const focusedTestId = (page: Page): Promise<unknown> => page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")')

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('settings-button').click()
  await page.getByTestId('settings-dialog').waitFor()
  await page.getByTestId('settings-integrations').scrollIntoViewIfNeeded()
}

async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape')
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' })
}

/** A request to the local server from Node, as a helpdesk plugin would make it, with `secret` as its key. */
async function call(h: Harness, path: string, secret: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${h.url}${path}`, { headers: { Authorization: `Bearer ${secret}` } })
  return { status: response.status, body: await response.text() }
}

describe('integration keys in Settings', () => {
  it(
    'creates a key with one scope, shows its secret once, and revokes it at once',
    async () => {
      const h = await startHarness({ webConsoleDir })
      current.h = h
      const page = await openConsole(h)
      await openSettings(page)
      const section = page.getByTestId('settings-integrations')
      await section.getByTestId('integration-keys-empty').waitFor()
      expect(await unnamedControls(page)).toEqual([])

      // Nothing typed: said beside the fields, and the API is not asked.
      await section.getByTestId('new-key-create-button').click()
      expect(await section.getByTestId('new-key-name-error').textContent()).toBe('Name must not be empty.')
      expect(await section.getByTestId('new-key-scopes-error').textContent()).toBe('Give the key at least one scope.')
      expect(await h.core.api.listIntegrationKeys()).toEqual([])

      // By keyboard: the name, Tab to "stream drafts", Space, Tab past the other scopes to Create, Enter.
      await section.getByTestId('new-key-name-input').fill('Helpdesk widget')
      await page.keyboard.press('Tab')
      expect(await focusedTestId(page)).toBe('new-key-scope-stream')
      await page.keyboard.press('Space')
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab')
      expect(await focusedTestId(page)).toBe('new-key-create-button')
      await page.keyboard.press('Enter')

      const secretInput = section.getByTestId('new-key-secret-input')
      await secretInput.waitFor()
      const secret = await secretInput.inputValue()
      expect(secret.length).toBeGreaterThan(40)
      expect(await secretInput.getAttribute('readonly')).not.toBeNull()
      expect(await focusedTestId(page)).toBe('new-key-secret-input')
      expect(await section.getByTestId('new-key-secret').textContent()).toContain('Copy this key now: it will not be shown again.')
      const row = section.getByTestId('integration-key-row')
      await until(async () => (await row.count()) === 1, 'the new key in the list')
      expect(await row.getByTestId('integration-key-scopes').textContent()).toBe('stream drafts')
      expect(await row.getByTestId('integration-key-last-used').textContent()).toBe('never')
      expect(await row.textContent()).toContain(secret.slice(0, 8))
      expect(await h.core.api.listIntegrationKeys()).toMatchObject([{ name: 'Helpdesk widget', scopes: ['stream'] }])
      expect(await unnamedControls(page)).toEqual([])
      await saveScreenshots(page, 'settings-integrations')

      await section.getByTestId('new-key-copy-button').click()
      await until(async () => (await page.evaluate('navigator.clipboard.readText()')) === secret, 'the key on the clipboard')

      // Dismissed: gone from the page for good, and the cursor is back in the form.
      await section.getByTestId('new-key-done-button').click()
      await secretInput.waitFor({ state: 'detached' })
      expect(await focusedTestId(page)).toBe('new-key-name-input')
      expect(await page.content()).not.toContain(secret)
      await saveScreenshots(page, 'settings-integrations-form')

      // Used from Node as an integration: it streams a draft, and may not list transcripts.
      const stream = await call(h, `/chat/stream?message=${encodeURIComponent('Where is my parcel?')}`, secret)
      expect(stream.status).toBe(200)
      expect(stream.body).toContain('"status":"complete"')
      expect(stream.body).toContain('data: parcel?')
      expect(stream.body).toContain('[DONE]')
      const list = await call(h, '/api/conversations', secret)
      expect(list.status).toBe(403)
      expect(JSON.parse(list.body)).toMatchObject({ error: { message: expect.stringContaining('read') } })

      // Settings opened again: the key shows it was used, and its secret is nowhere.
      await closeSettings(page)
      await openSettings(page)
      await until(async () => (await row.getByTestId('integration-key-last-used').textContent()) === 'just now', 'the last-used time')
      expect(await page.content()).not.toContain(secret)

      // Revoke asks first; Escape cancels the question only, not Settings.
      await row.getByTestId('integration-key-revoke-button').click()
      const confirm = page.getByTestId('revoke-key-dialog')
      await confirm.waitFor()
      expect(await confirm.textContent()).toContain('Helpdesk widget')
      await page.keyboard.press('Escape')
      await confirm.waitFor({ state: 'detached' })
      expect(await page.getByTestId('settings-dialog').isVisible()).toBe(true)
      expect(await call(h, '/chat/stream?message=still%20works', secret)).toMatchObject({ status: 200 })

      await row.getByTestId('integration-key-revoke-button').click()
      await confirm.getByTestId('confirm-button').click()
      await section.getByTestId('integration-keys-empty').waitFor()
      expect(await h.core.api.listIntegrationKeys()).toEqual([])
      // At once: the very next request is refused.
      expect((await call(h, '/chat/stream?message=hello', secret)).status).toBe(401)
    },
    TEST_TIMEOUT_MS,
  )
})

describe('integration keys when the API refuses', () => {
  it(
    'says why beside the form or the key, shows no secret, and keeps what was typed and listed',
    async () => {
      const h = await startHarness({ webConsoleDir })
      current.h = h
      const existing = await h.core.api.createIntegrationKey({ name: 'CRM export', scopes: ['read', 'export'] })
      const page = await openConsole(h)
      // The server's answers replaced with refusals, as a full disk or a lost connection would give them.
      const refuse = (message: string) => ({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message } }),
      })
      await page.route('**/api/integration-keys', (route) =>
        route.request().method() === 'POST' ? route.fulfill(refuse('The keys file could not be written.')) : route.fallback(),
      )
      await page.route('**/api/integration-keys/*', (route) =>
        route.request().method() === 'DELETE' ? route.fulfill(refuse('The keys file could not be written.')) : route.fallback(),
      )
      await openSettings(page)
      const section = page.getByTestId('settings-integrations')
      const row = section.getByTestId('integration-key-row')
      await row.waitFor()
      expect(await row.getByTestId('integration-key-scopes').textContent()).toBe('read transcripts, export')

      await section.getByTestId('new-key-name-input').fill('Helpdesk')
      await section.getByTestId('new-key-scope-stream').check()
      await section.getByTestId('new-key-create-button').click()
      expect(await section.getByTestId('new-key-error').textContent()).toBe('The key was not created. The keys file could not be written.')
      expect(await section.getByTestId('new-key-secret').count()).toBe(0)
      expect(await section.getByTestId('new-key-name-input').inputValue()).toBe('Helpdesk')
      expect(await section.getByTestId('new-key-scope-stream').isChecked()).toBe(true)
      expect(await row.count()).toBe(1)

      await row.getByTestId('integration-key-revoke-button').click()
      await page.getByTestId('revoke-key-dialog').getByTestId('confirm-button').click()
      expect(await row.getByTestId('integration-key-revoke-error').textContent()).toBe(
        '“CRM export” was not revoked. The keys file could not be written.',
      )
      expect(await row.count()).toBe(1)
      expect(await h.core.api.listIntegrationKeys()).toMatchObject([{ id: existing.key.id }])
      // Still the key it was: its secret works.
      expect((await call(h, '/api/conversations', existing.secret)).status).toBe(200)
    },
    TEST_TIMEOUT_MS,
  )
})

async function saveScreenshots(page: Page, name: string): Promise<void> {
  const section = page.getByTestId('settings-integrations')
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await section.screenshot({ path: join(SCREENSHOTS, `${name}-${colorScheme}.png`), animations: 'disabled' })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

interface AxNode {
  ignored: boolean
  role?: { value?: unknown }
  name?: { value?: unknown }
  backendDOMNodeId?: number
}

/** Controls the agent can operate, which a screen reader announces by name. */
const NAMED_ROLES = new Set([
  'button',
  'textbox',
  'searchbox',
  'combobox',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
  'link',
  'menuitem',
  'tab',
  'listbox',
])

/** Every control in Chromium's accessibility tree without an accessible name, described by its test id or tag. */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] }
    const unnamed: string[] = []
    let controls = 0
    for (const node of nodes) {
      const role = String(node.role?.value ?? '')
      if (node.ignored || !NAMED_ROLES.has(role)) continue
      controls++
      if (String(node.name?.value ?? '').trim() !== '') continue
      let what = role
      if (node.backendDOMNodeId !== undefined) {
        const { node: dom } = await cdp.send('DOM.describeNode', { backendNodeId: node.backendDOMNodeId })
        const attributes = dom.attributes ?? []
        const testId = attributes[attributes.indexOf('data-testid') + 1]
        what = `${role} <${dom.localName}${attributes.includes('data-testid') ? ` data-testid="${testId}"` : ''}>`
      }
      unnamed.push(what)
    }
    // Hardly any controls means the check itself is broken, not the page fine.
    if (controls < 5) throw new Error(`only ${controls} controls in the accessibility tree`)
    return unnamed
  } finally {
    await cdp.detach()
  }
}
