// Integration keys end to end, as an agent manages them in web mode: the real built renderer (out/renderer) served by
// the real core against the Gemini emulator, in Debian's Chromium (the setup of web-console.test.ts). The key made in
// Settings is then used from Node as an integration would: it streams drafts, is refused what its scopes do not
// allow, and is refused altogether from the request after it was revoked.
//
// (Setup, waits and screenshots: test/e2e/helpers/web-console.ts.)
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import type { Harness } from '../helpers/core-harness'
import { unnamedControls } from './helpers/accessibility'
import { focusedTestId, saveScreenshots as saveScreenshotsOf, TEST_TIMEOUT_MS, until, webConsolePerFile } from './helpers/web-console'

const web = webConsolePerFile()

/** The console, allowed to use the clipboard (the new key's Copy button) and tall enough for the whole section. */
const openConsole = (h: Harness): Promise<Page> =>
  web.openConsole(h, { viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] })

/** Screenshots of the Integrations section only. */
const saveScreenshots = (page: Page, name: string): Promise<void> => saveScreenshotsOf(page, name, page.getByTestId('settings-integrations'))

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
      const h = await web.startCore()
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
      const h = await web.startCore()
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
