// The desktop app's main flow, driven by Playwright's Electron support: the real built app (main, sandboxed
// preload, React console), its own better-sqlite3 build and the Gemini emulator. It needs Electron's binary
// and a display; where either is missing it prints one line saying so and is skipped (it never downloads).
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_METHODS, SUBSCRIPTION } from '../src/shared/api-contract'
import { TranscriptStore } from '../src/main/core/store/transcript-store'
import { DATABASE_FILE } from '../src/main/core/config/settings'
import { displayProblem } from '../scripts/app-build'
import { findElectronBinary } from '../scripts/electron-binary'
import { ensureElectronNative, PROJECT_ROOT } from '../scripts/electron-native'
import { GeminiEmulator } from './emulator/gemini-emulator'
import { TEST_API_KEY } from './helpers/core-harness'

const binary = findElectronBinary(PROJECT_ROOT)
const noDisplay = displayProblem()
const skipReason = !binary.installed ? 'Electron binary not installed' : noDisplay
if (skipReason) console.log(`skipped: ${skipReason}`)

const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'electron')
// What window.supportConsole must expose: every declared method and the subscription, nothing else.
const EXPOSED_METHODS = [...API_METHODS, SUBSCRIPTION.method].sort()

describe.skipIf(skipReason !== undefined)('the desktop app', () => {
  let emulator: GeminiEmulator
  let dataDir: string

  beforeAll(async () => {
    if (!binary.installed) return
    const native = await ensureElectronNative({ root: PROJECT_ROOT, binary })
    if (native.status === 'failed' || native.status === 'skipped') throw new Error(native.message)
    emulator = await GeminiEmulator.start({ apiKey: TEST_API_KEY })
    dataDir = mkdtempSync(join(tmpdir(), 'sc-electron-'))
    mkdirSync(SCREENSHOTS, { recursive: true })
  }, 20 * 60_000)

  afterAll(async () => {
    await emulator?.close()
  })

  async function launch(): Promise<{ app: ElectronApplication; page: Page }> {
    if (!binary.installed) throw new Error('unreachable')
    const app = await electron.launch({
      executablePath: binary.path,
      // Chromium refuses to run as root with its sandbox (containers, CI); everywhere else it stays on.
      args: ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: PROJECT_ROOT,
      env: {
        ...(process.env as Record<string, string>),
        SUPPORT_CONSOLE_DATA_DIR: dataDir,
        SUPPORT_CONSOLE_PORT: '0',
        GEMINI_BASE_URL: emulator.url,
        GEMINI_API_KEY: TEST_API_KEY,
      },
    })
    const page = await app.firstWindow()
    await page.getByTestId('new-conversation-button').waitFor()
    return { app, page }
  }

  it('opens a hardened window: the API and nothing else from the preload, no Node', async () => {
    const { app, page } = await launch()
    try {
      // The page's global object, as the renderer sees it (this file is typechecked without the DOM).
      const exposed = await page.evaluate(() => {
        const page = globalThis as unknown as { supportConsole?: object; require?: unknown; process?: unknown; location: { origin: string } }
        return {
          api: Object.keys(page.supportConsole ?? {}).sort(),
          require: typeof page.require,
          process: typeof page.process,
          origin: page.location.origin,
        }
      })
      // contextIsolation + no nodeIntegration: the page has the API and no Node; the preload's own world,
      // with ipcRenderer, stays out of reach.
      expect(exposed).toEqual({ api: EXPOSED_METHODS, require: 'undefined', process: 'undefined', origin: 'app://console' })
      // Navigation away from the console is refused; the page stays where it is. (An https or mailto link would be
      // handed to the system browser, and http would ask first, so the test uses ftp, which is simply refused.)
      await page.evaluate(() => {
        ;(globalThis as unknown as { location: { href: string } }).location.href = 'ftp://example.com/'
      })
      await page.waitForTimeout(200)
      expect(page.url()).toMatch(/^app:\/\/console\//)
    } finally {
      await app.close()
    }
  }, 120_000)

  it('runs the main flow: new conversation, customer message, streamed draft, stop, use reply; quitting saves', async () => {
    emulator.enqueue({ chunks: Array.from({ length: 300 }, (_, i) => `word${i} `), delayMs: 30 })
    const { app, page } = await launch()
    await page.getByTestId('new-conversation-button').click()
    await page.getByTestId('customer-message-input').fill('Where is my parcel?')
    await page.getByTestId('add-customer-message-button').click()
    await expect.poll(() => page.locator('[data-testid="message"][data-role="customer"]').count()).toBe(1)
    await page.screenshot({ path: join(SCREENSHOTS, 'conversation.png') })

    await page.getByTestId('draft-button').click()
    const preview = page.getByTestId('draft-preview')
    await expect.poll(async () => (await preview.textContent())?.length ?? 0).toBeGreaterThan(0)
    const early = (await preview.textContent()) ?? ''
    await expect.poll(async () => (await preview.textContent())?.length ?? 0).toBeGreaterThan(early.length)
    await page.screenshot({ path: join(SCREENSHOTS, 'streaming.png') })

    await page.getByTestId('stop-button').click()
    await expect.poll(() => page.getByTestId('draft-panel').getAttribute('data-status')).toBe('stopped')
    await page.getByTestId('edit-mode-button').click()
    await page.getByTestId('draft-editor').fill('Your parcel ships today.')
    await page.getByTestId('use-reply-button').click()
    await expect.poll(() => page.locator('[data-testid="message"][data-role="agent"]').count()).toBe(1)
    await page.screenshot({ path: join(SCREENSHOTS, 'replied.png') })

    // A draft still streaming when the app quits is saved as stopped, with its text.
    emulator.enqueue({ chunks: Array.from({ length: 300 }, (_, i) => `more${i} `), delayMs: 30 })
    await page.getByTestId('draft-button').click()
    await expect.poll(async () => (await preview.textContent())?.length ?? 0).toBeGreaterThan(0)
    await app.close()

    const store = TranscriptStore.open(join(dataDir, DATABASE_FILE))
    try {
      const [conversation] = store.listConversations({}).conversations
      const messages = conversation ? (store.getDetail(conversation.id)?.messages ?? []) : []
      expect(messages.map((m) => [m.role, m.status])).toEqual([
        ['customer', 'complete'],
        ['assistant_draft', 'stopped'],
        ['agent', 'complete'],
        ['assistant_draft', 'stopped'],
      ])
      expect(messages.at(-1)?.text.length).toBeGreaterThan(0)
    } finally {
      store.close()
    }
  }, 180_000)
})
