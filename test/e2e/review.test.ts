// The review console end to end (issue 9), in web mode: the real built renderer served by the real core against the
// Gemini emulator, driven in Debian's Chromium. Conversations are seeded through the core's API; the UI is what is
// tested: a filter with search that lives in the address bar, a bulk export downloaded and parsed, the dashboard.
//
// (Setup, waits and screenshots: test/e2e/helpers/web-console.ts; in-page code is passed to page.evaluate as strings.)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import type { ScriptedReply } from '../emulator/gemini-emulator'
import type { Harness } from '../helpers/core-harness'
import { drafts, saveScreenshots, TEST_TIMEOUT_MS, until, WAIT_MS, webConsolePerFile } from './helpers/web-console'
import { parseCsv } from '../helpers/csv'

const web = webConsolePerFile()

/** Opens the console at `path` (its query holds a filter) with the token link, and waits until it has loaded. */
const openConsole = (h: Harness, path = '/'): Promise<Page> => web.openConsole(h, { path, viewport: { width: 1280, height: 860 } })

/** A conversation with a customer message and one draft, scripted in the emulator; resolves once the draft ended. */
async function seed(h: Harness, title: string, customer: string, reply: ScriptedReply): Promise<number> {
  const { id } = await h.core.api.createConversation({ title })
  await h.core.api.addCustomerMessage(id, customer)
  h.emulator.enqueue(reply)
  await h.core.api.startDraft(id)
  await until(() => {
    const saved = drafts(h, id)
    return saved.length > 0 && saved.every((m) => m.status !== 'streaming')
  }, `the draft of “${title}” to end`)
  return id
}

const complete = (text: string): ScriptedReply => ({ chunks: [text], delayMs: 1 })
const blocked: ScriptedReply = { chunks: [], fault: { type: 'blocked-prompt' } }

/** The ids of the rows on screen, read in one go (the list re-renders while a filter applies). */
const listedIds = async (page: Page): Promise<number[]> =>
  (await page.evaluate(
    '[...document.querySelectorAll(\'[data-testid="conversation-item"]\')].map((row) => Number(row.getAttribute("data-conversation-id")))',
  )) as number[]

async function untilListed(page: Page, ids: number[]): Promise<void> {
  const want = [...ids].sort((a, b) => a - b)
  let seen: number[] = []
  await until(
    async () => JSON.stringify((seen = (await listedIds(page)).sort((a, b) => a - b))) === JSON.stringify(want),
    () => `the list to show ${want.join(', ')} (it shows ${seen.join(', ')})`,
  )
}

describe('reviewing in the web console', () => {
  it(
    'filters by draft status together with the search words, keeps both in the address bar, and a reload reopens them',
    async () => {
      const h = await web.startCore()
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
      await saveScreenshots(page, 'review-filter-panel')
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
      const h = await web.startCore()
      const first = await seed(h, 'First', 'Hello, “quoted”, with a comma', complete('Reply one.'))
      const second = await seed(h, 'Second', 'Another question', complete('Reply two.'))
      const other = await seed(h, 'Other', 'Not exported', complete('Reply three.'))
      const page = await openConsole(h)
      await untilListed(page, [first, second, other])

      const row = (id: number) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`)
      await row(first).getByTestId('conversation-check').click()
      // Keyboard: the arrows move the active row (newest first: Other, Second, First) and Ctrl+Space checks it.
      await page.getByTestId('conversation-list').press('ArrowUp')
      await page.getByTestId('conversation-list').press('Control+Space')
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
      const h = await web.startCore()
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
      await page.evaluate('document.querySelector(\'[data-testid="dashboard"]\').scrollTop = 0')
      await saveScreenshots(page, 'review-dashboard')

      // A reload stays on the dashboard (the view is in the address too).
      await page.reload()
      await page.getByTestId('dashboard').waitFor({ timeout: WAIT_MS })
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'shows the full timeline: every draft with its outcome, the reply sent and how much it was edited; Print prints',
    async () => {
      const h = await web.startCore()
      const id = await seed(h, 'Timeline', 'My order is late', complete('Your order ships today.'))
      h.emulator.enqueue(blocked)
      await h.core.api.startDraft(id)
      await until(
        () =>
          h.core.store
            .getDetail(id)
            ?.messages.filter((m) => m.role === 'assistant_draft')
            .every((m) => m.status !== 'streaming') ?? false,
        'the second draft',
      )
      const drafts = h.core.store.getDetail(id)?.messages.filter((m) => m.role === 'assistant_draft') ?? []
      expect(drafts.map((m) => m.status)).toEqual(['complete', 'blocked'])
      await h.core.api.useReply(id, 'Your order ships today!', drafts[0]?.id)
      const page = await openConsole(h)
      await page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`).click()
      await page.getByTestId('timeline-button').click()
      await page.getByTestId('timeline').waitFor({ timeout: WAIT_MS })

      const items = page.getByTestId('timeline-draft')
      expect(await items.count()).toBe(2)
      expect(await items.nth(0).getByTestId('timeline-draft-used').textContent()).toBe('Used for the reply · 96% kept · 1 character changed')
      expect(await items.nth(1).getAttribute('data-status')).toBe('blocked')
      expect(await items.nth(1).textContent()).toContain('Not used')
      expect(await page.getByTestId('timeline-edit').textContent()).toContain(`From draft #${drafts[0]?.id}`)

      await page.evaluate('window.print = () => { window.printed = (window.printed || 0) + 1 }')
      await page.getByTestId('print-button').click()
      expect(await page.evaluate('window.printed')).toBe(1)
      await page.emulateMedia({ media: 'print' })
      expect(await page.getByTestId('print-button').isVisible()).toBe(false)
      expect(await page.locator('.sidebar').isVisible()).toBe(false)
      await page.emulateMedia({ media: 'screen' })
      await saveScreenshots(page, 'review-timeline')
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'tags from the header and a selection, filters by tag, and manages tags (rename, colour)',
    async () => {
      const h = await web.startCore()
      const a = await seed(h, 'Alpha', 'First', complete('One.'))
      const b = await seed(h, 'Beta', 'Second', complete('Two.'))
      const c = await seed(h, 'Gamma', 'Third', complete('Three.'))
      const page = await openConsole(h)
      await untilListed(page, [a, b, c])
      const row = (id: number) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`)

      // The header: a new tag typed in the Tag menu is made and put on the open conversation.
      await row(a).click()
      await page.getByTestId('conversation-tag-button').click()
      await page.getByPlaceholder('New tag…').fill('Escalated')
      await page.getByPlaceholder('New tag…').press('Enter')
      await page.getByTestId('conversation-tags').getByTestId('tag-chip').waitFor({ timeout: WAIT_MS })
      const tag = (await h.core.api.listTags())[0]
      expect(tag).toMatchObject({ name: 'Escalated', conversationCount: 1 })

      // A selection: check B (box) and C (Ctrl+click), then Tag → Add → Escalated.
      await page.keyboard.press('Escape')
      await row(b).getByTestId('conversation-check').click()
      await row(c).click({ modifiers: ['Control'] })
      expect(await page.getByTestId('bulk-count').textContent()).toBe('2 checked')
      await page.getByTestId('bulk-tag-button').click()
      await page.locator('[data-testid="tag-menu-item"][data-tag="Escalated"]').click()
      await until(async () => (await h.core.api.listTags())[0]?.conversationCount === 3, 'three conversations tagged')

      // The filter by tag, then the manager renames and recolours it (the chip follows).
      await page.getByTestId('bulk-clear').click()
      await page.getByTestId('filter-button').click()
      await page.getByTestId('filter-tags').getByText('Escalated').click()
      await untilListed(page, [a, b, c])
      await page.getByRole('button', { name: 'Manage tags…' }).click()
      const manager = page.getByTestId('tag-manager')
      await manager.getByLabel('Name of Escalated').fill('Urgent')
      await manager.getByLabel('Name of Escalated').press('Enter')
      await until(async () => (await h.core.api.listTags())[0]?.name === 'Urgent', 'the tag renamed')
      await manager.getByLabel('Colour of Urgent').selectOption('red')
      await until(async () => (await h.core.api.listTags())[0]?.color === 'red', 'the tag recoloured')
      await saveScreenshots(page, 'review-tag-manager')
      await manager.getByRole('button', { name: 'Close' }).click()
      expect(await page.getByTestId('conversation-tags').getByTestId('tag-chip').getAttribute('data-tag')).toBe('Urgent')
      expect(new URL(page.url()).searchParams.get('tag')).toBe(String(tag?.id))
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'backs up from Settings, lists it with size and date, and confirms a restore saying what will change',
    async () => {
      const h = await web.startCore()
      await seed(h, 'Kept', 'Before the backup', complete('Reply.'))
      const page = await openConsole(h)
      await page.getByTestId('settings-button').click()
      const section = page.getByTestId('backups-section')
      await section.getByTestId('backup-now').click()
      await section.getByTestId('backup-row').first().waitFor({ timeout: WAIT_MS })
      expect(await section.getByTestId('backup-row').count()).toBe(1)
      expect(await section.getByTestId('backup-row').textContent()).toMatch(/By hand\d+(\.\d)? (B|KB|MB)/)

      // Made after the backup: the restore confirmation says the console will have one conversation fewer.
      await seed(h, 'After', 'After the backup', complete('Reply.'))
      await section.getByRole('button', { name: /^Restore the backup of/ }).click()
      const dialog = page.getByTestId('restore-dialog')
      await dialog.getByTestId('restore-changes').waitFor({ timeout: WAIT_MS })
      const changes = await dialog.getByTestId('restore-changes').textContent()
      expect(changes).toContain('Now: 2 conversations')
      expect(changes).toContain('After the restore: 1 conversation and')
      expect(changes).toContain('kept aside')
      await saveScreenshots(page, 'review-restore')
      await dialog.getByTestId('restore-confirm').click()
      expect(await dialog.getByTestId('restore-done').textContent({ timeout: WAIT_MS })).toContain('Restart Support Console')
    },
    TEST_TIMEOUT_MS,
  )
})
