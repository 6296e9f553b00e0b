// The review console end to end (issue 9), in web mode: the real built renderer served by the real core against the
// Gemini emulator, driven in Debian's Chromium. Conversations are seeded through the core's API; the UI is what is
// tested: a filter with search that lives in the address bar, a bulk export downloaded and parsed, the dashboard.
//
// In-page code is passed to page.evaluate as strings (this file is typechecked without the DOM library).
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ScriptedReply } from '../emulator/gemini-emulator'
import { builtWebConsole, PROJECT_ROOT } from '../../src/main/core/cli/web-console'
import { launchChromium, type LaunchedChromium } from '../helpers/chromium'
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/core-harness'

const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'screenshots')
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

async function startCore(): Promise<Harness> {
  const h = await startHarness({ webConsoleDir })
  current.h = h
  return h
}

/** Opens the console at `path` (its query holds a filter) with the token link, and waits until it has loaded. */
async function openConsole(h: Harness, path = '/'): Promise<Page> {
  const page = await browser.newPage()
  current.page = page
  page.on('pageerror', (error) => current.pageErrors.push(error.message))
  await page.setViewportSize({ width: 1280, height: 860 })
  await page.goto(`${h.url}${path}#token=${encodeURIComponent(TEST_TOKEN)}`)
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

async function saveScreenshots(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // The charts redraw their canvas in the new theme's colours on the next frame.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${colorScheme}.png`), animations: 'disabled' })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** A conversation with a customer message and one draft, scripted in the emulator; resolves once the draft ended. */
async function seed(h: Harness, title: string, customer: string, reply: ScriptedReply): Promise<number> {
  const { id } = await h.core.api.createConversation({ title })
  await h.core.api.addCustomerMessage(id, customer)
  h.emulator.enqueue(reply)
  await h.core.api.startDraft(id)
  await until(() => {
    const drafts = h.core.store.getDetail(id)?.messages.filter((m) => m.role === 'assistant_draft') ?? []
    return drafts.length > 0 && drafts.every((m) => m.status !== 'streaming')
  }, `the draft of “${title}” to end`)
  return id
}

const complete = (text: string): ScriptedReply => ({ chunks: [text], delayMs: 1 })
const blocked: ScriptedReply = { chunks: [], fault: { type: 'blocked-prompt' } }

const listedIds = async (page: Page): Promise<number[]> =>
  Promise.all((await page.getByTestId('conversation-item').all()).map(async (row) => Number(await row.getAttribute('data-conversation-id'))))

async function untilListed(page: Page, ids: number[]): Promise<void> {
  const want = [...ids].sort((a, b) => a - b)
  let seen: number[] = []
  await until(
    async () => JSON.stringify((seen = (await listedIds(page)).sort((a, b) => a - b))) === JSON.stringify(want),
    () => `the list to show ${want.join(', ')} (it shows ${seen.join(', ')})`,
  )
}

/** A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else if (ch !== '\r') field += ch
  }
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows
}

describe('reviewing in the web console', () => {
  it(
    'filters by draft status together with the search words, keeps both in the address bar, and a reload reopens them',
    async () => {
      const h = await startCore()
      const parcelOk = await seed(h, 'Parcel fine', 'Where is my parcel?', complete('It arrives tomorrow.'))
      const parcelBlocked = await seed(h, 'Parcel blocked', 'My parcel never came, refund me', blocked)
      const invoiceBlocked = await seed(h, 'Invoice blocked', 'The invoice total is wrong', blocked)
      const parcelBlocked2 = await seed(h, 'Parcel blocked again', 'Parcel lost in transit', blocked)
      const page = await openConsole(h)
      await untilListed(page, [parcelOk, parcelBlocked, invoiceBlocked, parcelBlocked2])

      await page.getByTestId('search-input').fill('parcel')
      await untilListed(page, [parcelOk, parcelBlocked, parcelBlocked2])
      await page.getByTestId('filter-button').click()
      await page.getByTestId('filter-status').getByLabel('Blocked').check()
      await untilListed(page, [parcelBlocked, parcelBlocked2])
      await page.keyboard.press('Escape')
      expect(await page.getByTestId('filter-chips').textContent()).toContain('Draft: Blocked')

      const url = new URL(page.url())
      expect(url.searchParams.get('status')).toBe('blocked')
      expect(url.searchParams.get('q')).toBe('parcel')
      expect(url.hash).not.toContain('token')
      await saveScreenshots(page, 'review-filter')

      // A reload (or the link, in a tab that holds the token) opens on the same filter and words.
      await page.reload()
      await page.getByTestId('new-conversation-button').waitFor({ timeout: WAIT_MS })
      await untilListed(page, [parcelBlocked, parcelBlocked2])
      expect(await page.getByTestId('search-input').inputValue()).toBe('parcel')
      expect(await page.getByTestId('filter-chips').textContent()).toContain('Draft: Blocked')

      // Taking the status chip off widens the list back to the search alone.
      await page.getByRole('button', { name: 'Remove filter Draft: Blocked' }).click()
      await untilListed(page, [parcelOk, parcelBlocked, parcelBlocked2])
      await until(() => !new URL(page.url()).searchParams.has('status'), 'the status to leave the address bar')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'exports two checked conversations as CSV: one row per message, only theirs',
    async () => {
      const h = await startCore()
      const first = await seed(h, 'First', 'Hello, “quoted”, with a comma', complete('Reply one.'))
      const second = await seed(h, 'Second', 'Another question', complete('Reply two.'))
      const other = await seed(h, 'Other', 'Not exported', complete('Reply three.'))
      const page = await openConsole(h)
      await untilListed(page, [first, second, other])

      const row = (id: number) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`)
      await row(first).getByTestId('conversation-check').click()
      // Keyboard: Ctrl+Space checks the active row (moved to with the arrows).
      await row(second).getByTestId('conversation-check').click()
      expect(await page.getByTestId('bulk-count').textContent()).toBe('2 checked')
      expect(await row(first).getAttribute('aria-checked')).toBe('true')
      expect(await row(other).getAttribute('aria-checked')).toBe('false')

      await page.getByTestId('bulk-export').click()
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.getByTestId('bulk-export-csv').click()])
      const file = join(h.dataDir, 'bulk-export.csv')
      await download.saveAs(file)
      expect(download.suggestedFilename()).toMatch(/\.csv$/)
      const rows = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''))
      const header = rows[0] as string[]
      const column = (name: string): number => header.indexOf(name)
      expect(column('conversation_id')).toBeGreaterThanOrEqual(0)
      const body = rows.slice(1).filter((r) => r.length > 1)
      const conversationIds = new Set(body.map((r) => Number(r[column('conversation_id')])))
      expect(conversationIds).toEqual(new Set([first, second]))
      const expected = [first, second].flatMap((id) => h.core.store.getDetail(id)?.messages ?? [])
      expect(body).toHaveLength(expected.length)
      expect(body.map((r) => r[column('text')])).toContain('Hello, “quoted”, with a comma')
      for (const r of body) expect(r[column('created_at')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/)

      // Escape clears the checks (from the list).
      await row(first).click()
      await page.getByTestId('conversation-list').press('Escape')
      await until(async () => (await page.getByTestId('bulk-actions').count()) === 0, 'the checks cleared')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'shows the dashboard: its figures, charts and tables hold the seeded numbers',
    async () => {
      const h = await startCore()
      await seed(h, 'One', 'Question one', complete('Answer one.'))
      await seed(h, 'Two', 'Question two', complete('Answer two.'))
      await seed(h, 'Three', 'Question three', blocked)
      const stats = await h.core.api.getStats({})
      expect(stats.drafts).toBe(3)
      const page = await openConsole(h)
      await page.getByTestId('dashboard-button').click()
      const dashboard = page.getByTestId('dashboard')
      await dashboard.waitFor({ timeout: WAIT_MS })
      await until(async () => (await page.locator('[data-testid="chart-card"]').count()) === 5, 'the five charts')
      expect(new URL(page.url()).searchParams.get('view')).toBe('dashboard')

      expect(await page.locator('[data-figure="drafts"] dd').textContent()).toBe('3')
      const outcomes = page.locator('[data-chart="outcomes"]')
      expect(await outcomes.getByTestId('chart-canvas').getAttribute('aria-label')).toContain('How drafts ended')
      await outcomes.getByText('Show the numbers').click()
      const cell = async (label: string): Promise<string | null> =>
        outcomes
          .locator('tr', { has: page.locator(`th:text-is("${label}")`) })
          .locator('td')
          .textContent()
      expect(await cell('Complete')).toBe('2')
      expect(await cell('Blocked')).toBe('1')
      const perDay = page.locator('[data-chart="drafts-per-day"]')
      await perDay.getByText('Show the numbers').click()
      const today = stats.draftsPerDay[0]
      expect(today?.drafts).toBe(3)
      expect(await perDay.locator('tbody tr th').textContent()).toBe(today?.day)
      expect(await perDay.locator('tbody tr td').first().textContent()).toBe('3')

      // The chart's numbers as a CSV download.
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), outcomes.getByTestId('chart-csv').click()])
      const file = join(h.dataDir, 'outcomes.csv')
      await download.saveAs(file)
      const csv = parseCsv(readFileSync(file, 'utf8'))
      expect(csv[0]).toEqual(['Outcome', 'Drafts'])
      expect(csv).toContainEqual(['Blocked', '1'])
      await page.locator('[data-chart="tokens-by-model"]').getByText('Show the numbers').click()
      await saveScreenshots(page, 'review-dashboard')

      // A reload stays on the dashboard (the view is in the address too).
      await page.reload()
      await page.getByTestId('dashboard').waitFor({ timeout: WAIT_MS })
    },
    TEST_TIMEOUT_MS,
  )
})
