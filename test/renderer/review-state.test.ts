// The review UI's pure parts (issue 9): the filter in the address bar and on chips, bulk selection, the dashboard's
// chart data and CSV, the timeline's edit summary, export progress and restore wording.
import { describe, expect, it } from 'vitest'
import type { BackupCheck, ExportJob, ReviewStats } from '../../src/shared/review'
import { restoreChanges, fileSize } from '../../src/renderer/src/state/backups'
import {
  bulkKeyAction,
  checkAll,
  checkedInOrder,
  checkRange,
  keepListed,
  NO_BULK_SELECTION,
  toggleChecked,
} from '../../src/renderer/src/state/bulk-selection'
import { chartCsv, chartCsvFilename, chartRows, dashboardCharts, headlineFigures, lastDays } from '../../src/renderer/src/state/dashboard-charts'
import { exportFraction, exportProgressText, webExportHref } from '../../src/renderer/src/state/export-job'
import {
  activeFieldCount,
  filterChips,
  filterKey,
  isEmptyFilter,
  listFromText,
  locationSearch,
  readLocation,
  setField,
  toggleValue,
  withoutChip,
} from '../../src/renderer/src/state/review-filter'
import { editSummary, indexReplyUses } from '../../src/renderer/src/state/review-timeline'
import { parseCsv } from '../helpers/csv'

describe('the review filter in the address bar', () => {
  it('round-trips every field, the search words and the view with the spec’s parameter names', () => {
    const filter = {
      from: '2026-11-01',
      to: '2026-11-29',
      status: ['error' as const, 'truncated' as const],
      source: ['app', 'zendesk'],
      tag: [3, 7],
      feedback: ['down' as const],
      model: ['gemini-2.5-flash'],
      usedReply: false,
    }
    const search = locationSearch(filter, ' refund card ', 'dashboard')
    const params = new URLSearchParams(search)
    expect(params.get('status')).toBe('error,truncated')
    expect(params.get('tag')).toBe('3,7')
    expect(params.get('usedReply')).toBe('false')
    expect(params.get('q')).toBe('refund card')
    expect(params.get('view')).toBe('dashboard')
    expect(readLocation(search)).toEqual({ filter, query: 'refund card', view: 'dashboard' })
  })

  it('gives an empty query for no filter, and drops invalid values from a hand-edited link instead of failing', () => {
    expect(locationSearch({}, '  ', 'conversations')).toBe('')
    expect(readLocation('?status=error,bogus&tag=x&from=yesterday&usedReply=maybe&q=hi')).toEqual({ filter: {}, query: 'hi', view: 'conversations' })
    expect(readLocation('?status=blocked&token=secret')).toEqual({ filter: { status: ['blocked'] }, query: '', view: 'conversations' })
  })

  it('keys filters by meaning, so the list reloads only when the filter changes', () => {
    expect(filterKey({ status: ['error'], tag: [2] })).toBe(filterKey({ tag: [2], status: ['error'] }))
    expect(filterKey({ status: ['error'] })).not.toBe(filterKey({ status: ['stopped'] }))
    expect(isEmptyFilter({})).toBe(true)
    expect(isEmptyFilter({ status: [] })).toBe(true)
    expect(activeFieldCount({ from: '2026-01-01', status: ['error', 'blocked'], usedReply: true })).toBe(3)
  })

  it('toggles list values and clears a field whose list becomes empty', () => {
    const one = toggleValue({}, 'status', 'error')
    expect(one).toEqual({ status: ['error'] })
    expect(toggleValue(one, 'status', 'blocked')).toEqual({ status: ['error', 'blocked'] })
    expect(toggleValue(one, 'status', 'error')).toEqual({})
    expect(setField({ from: '2026-01-01' }, 'from', '')).toEqual({})
    expect(listFromText(' app, zendesk ,app,, ')).toEqual(['app', 'zendesk'])
    expect(listFromText(' , ')).toBeUndefined()
  })

  it('names each field set on a chip, and a date chip clears the whole range', () => {
    const tags = [{ id: 3, name: 'refund', color: 'red' as const, conversationCount: 1, createdAt: '' }]
    const filter = { from: '2026-11-01', to: '2026-11-29', status: ['truncated' as const, 'error' as const], tag: [3, 9], usedReply: true }
    expect(filterChips(filter, tags).map((c) => c.label)).toEqual([
      '2026-11-01 – 2026-11-29',
      'Draft: Failed or Cut off',
      'Tag: refund or #9',
      'Reply sent',
    ])
    expect(withoutChip(filter, 'from')).toEqual({ status: ['truncated', 'error'], tag: [3, 9], usedReply: true })
  })
})

describe('bulk selection', () => {
  const order = [10, 20, 30, 40, 50]

  it('toggles one, checks a run from the anchor either way, and keeps only listed ids', () => {
    let s = toggleChecked(NO_BULK_SELECTION, 20)
    s = checkRange(s, order, 40)
    expect(checkedInOrder(s, order)).toEqual([20, 30, 40])
    s = checkRange(toggleChecked(s, 50), order, 10)
    expect(checkedInOrder(s, order)).toEqual([10, 20, 30, 40, 50])
    expect(checkedInOrder(toggleChecked(s, 30), order)).toEqual([10, 20, 40, 50])
    const kept = keepListed(checkAll(order), [20, 50, 60])
    expect([...kept.ids]).toEqual([20, 50])
    expect(kept.anchor).toBe(50)
  })

  it('a range with no anchor checks just the row', () => {
    expect(checkedInOrder(checkRange(NO_BULK_SELECTION, order, 30), order)).toEqual([30])
  })

  it('maps the keys: Ctrl/⌘+Space or X toggle, Shift+Space ranges, Ctrl/⌘+A all, Escape clears only with checks', () => {
    const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => ({
      key: k,
      shiftKey: false,
      ctrlKey: false,
      metaKey: false,
      ...mods,
    })
    expect(bulkKeyAction(key(' '), false)).toBeNull()
    expect(bulkKeyAction(key(' ', { ctrlKey: true }), false)).toBe('toggle')
    expect(bulkKeyAction(key('x'), false)).toBe('toggle')
    expect(bulkKeyAction(key(' ', { shiftKey: true }), false)).toBe('range')
    expect(bulkKeyAction(key('a', { metaKey: true }), false)).toBe('all')
    expect(bulkKeyAction(key('Escape'), false)).toBeNull()
    expect(bulkKeyAction(key('Escape'), true)).toBe('clear')
    expect(bulkKeyAction(key('Enter'), true)).toBeNull()
  })
})

const stats: ReviewStats = {
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-30T00:00:00.000Z',
  drafts: 5,
  draftsPerDay: [
    { day: '2026-11-27', drafts: 2, used: 1 },
    { day: '2026-11-28', drafts: 3, used: 2 },
  ],
  used: 3,
  useRate: 0.6,
  edits: { count: 3, meanSimilarity: 0.9, medianSimilarity: 0.875, meanEditDistance: 4, medianEditDistance: 3 },
  outcomes: { complete: 3, stopped: 1, error: 0, blocked: 0, interrupted: 0, truncated: 1 },
  rates: { stopped: 0.2, error: 0, blocked: 0, truncated: 0.2, interrupted: 0 },
  firstTokenMs: { count: 5, median: 420, p95: 1500 },
  tokensByModel: [{ model: 'gemini-2.5-flash', drafts: 5, promptTokens: 100, outputTokens: 50, totalTokens: 150 }],
  topDocuments: [{ path: 'refunds.md', title: 'Refunds, "card" payments', citations: 4 }],
  feedback: { up: 2, down: 1, none: 2 },
}

describe('dashboard charts', () => {
  it('shapes every chart from the figures, with series aligned to labels', () => {
    const charts = dashboardCharts(stats)
    expect(charts.map((c) => c.id)).toEqual(['drafts-per-day', 'outcomes', 'tokens-by-model', 'feedback', 'top-documents'])
    const perDay = charts[0]!
    expect(chartRows(perDay)).toEqual([
      ['2026-11-27', 2, 1],
      ['2026-11-28', 3, 2],
    ])
    expect(chartRows(charts[1]!)).toContainEqual(['Cut off', 1])
    expect(chartRows(charts[3]!)).toEqual([
      ['Rated up', 2],
      ['Rated down', 1],
      ['Not rated', 2],
    ])
    expect(charts[4]!.horizontal).toBe(true)
  })

  it('writes each chart’s numbers as CSV that parses back to its table, quotes included', () => {
    for (const chart of dashboardCharts(stats)) {
      const rows = parseCsv(chartCsv(chart))
      expect(rows[0]).toEqual([chart.labelHeading, ...chart.series.map((s) => s.name)])
      expect(rows.slice(1)).toEqual(chartRows(chart).map((r) => r.map(String)))
    }
    expect(parseCsv(chartCsv(dashboardCharts(stats)[4]!))[1]).toEqual(['Refunds, "card" payments', '4'])
    expect(chartCsvFilename(dashboardCharts(stats)[0]!, stats)).toBe('drafts-per-day_2026-11-01_2026-11-30.csv')
  })

  it('states the headline figures in words, with a dash for what cannot be computed', () => {
    const figures = Object.fromEntries(headlineFigures(stats).map((f) => [f.id, f.value]))
    expect(figures).toMatchObject({
      drafts: '5',
      'use-rate': '60.0%',
      similarity: '87.5%',
      'edit-distance': '3',
      'ttft-median': '420 ms',
      'ttft-p95': '1.50 s',
      'truncated-rate': '20.0%',
    })
    const empty = headlineFigures({ ...stats, useRate: null, firstTokenMs: { count: 0, median: null, p95: null } })
    expect(empty.find((f) => f.id === 'use-rate')?.value).toBe('–')
    expect(lastDays(new Date('2026-11-29T15:00:00Z'))).toEqual({ from: '2026-10-31', to: '2026-11-29' })
  })
})

describe('timeline, export and backups in words', () => {
  it('indexes reply uses both ways and summarises the edit', () => {
    const index = indexReplyUses([{ agentMessageId: 9, draftId: 4, editDistance: 12, similarity: 0.87 }])
    expect(index.byReply.get(9)?.draftId).toBe(4)
    expect(index.byDraft.get(4)).toHaveLength(1)
    expect(editSummary({ editDistance: 0, similarity: 1 })).toBe('Sent unchanged')
    expect(editSummary({ editDistance: 12, similarity: 0.87 })).toBe('87% kept · 12 characters changed')
  })

  it('builds the web download address with the token, and reports a job’s progress', () => {
    expect(webExportHref({ format: 'csv', ids: [1, 2] }, 'a b')).toBe('/api/export?ids=1%2C2&format=csv&token=a%20b')
    expect(webExportHref({ format: 'json', filter: { status: ['error'] } }, 't')).toBe('/api/export?status=error&format=json&token=t')
    const job: ExportJob = {
      id: 'x',
      format: 'csv',
      file: '/tmp/a.csv',
      state: 'running',
      conversationsDone: 5,
      conversationsTotal: 20,
      messagesDone: 50,
      bytesWritten: 2048,
      startedAt: '',
      finishedAt: null,
      error: null,
    }
    expect(exportFraction(job)).toBe(0.25)
    expect(exportProgressText(job)).toBe('Exporting: 5 of 20 conversations (2.0 KB)')
    expect(exportFraction({ ...job, conversationsTotal: 0 })).toBeNull()
    expect(exportProgressText({ ...job, state: 'failed', error: 'disk full' })).toBe('The export failed: disk full')
  })

  it('says what a restore changes, and refuses a backup that failed its check', () => {
    const backup = { id: 'b', file: '/b.db', sizeBytes: 1536, createdAt: '2026-11-28T09:30:00.000Z', kind: 'manual' as const }
    const check: BackupCheck = {
      backup,
      ok: true,
      problem: null,
      schemaVersion: 9,
      contents: { conversations: 8, messages: 40, lastActivityAt: null },
      current: { conversations: 10, messages: 55, lastActivityAt: null },
    }
    const lines = restoreChanges(check)
    expect(lines[0]).toBe('Now: 10 conversations and 55 messages.')
    expect(lines[1]).toBe('After the restore: 8 conversations and 40 messages, as they were on 2026-11-28 09:30 UTC.')
    expect(lines[2]).toContain('2 fewer conversations and 15 fewer messages')
    expect(lines.at(-1)).toContain('kept aside')
    const oneLess = { ...check, contents: { conversations: 9, messages: 54, lastActivityAt: null } }
    expect(restoreChanges(oneLess)[2]).toContain('1 fewer conversation and 1 fewer message;')
    expect(restoreChanges({ ...check, ok: false, problem: 'integrity check failed', contents: null })).toEqual([
      'This backup cannot be restored: integrity check failed.',
    ])
    expect(fileSize(1536)).toBe('1.5 KB')
  })
})
