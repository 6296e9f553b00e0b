// The dashboard's figures shaped for its charts, their tables and their CSV downloads, from getStats' answer.
// Every chart is a set of labelled rows with one or more numeric series, so a chart, its table and its CSV can
// never disagree. Pure: unit-tested under Node.
import { stringify } from 'csv-stringify/browser/esm/sync'
import { DRAFT_OUTCOMES, type ReviewStats } from '../../../shared/review'
import { OUTCOME_LABEL } from './review-filter'

export interface ChartSeries {
  name: string
  values: number[]
}

export interface ChartSpec {
  id: string
  title: string
  /** The first column's heading (what the labels are). */
  labelHeading: string
  labels: string[]
  series: ChartSeries[]
  /** Long labels (document titles) read better as horizontal bars. */
  horizontal?: boolean
}

export function dashboardCharts(stats: ReviewStats): ChartSpec[] {
  const days = stats.draftsPerDay
  const models = stats.tokensByModel
  const docs = stats.topDocuments
  return [
    {
      id: 'drafts-per-day',
      title: 'Drafts per day',
      labelHeading: 'Day (UTC)',
      labels: days.map((d) => d.day),
      series: [
        { name: 'Drafts', values: days.map((d) => d.drafts) },
        { name: 'Used as reply', values: days.map((d) => d.used) },
      ],
    },
    {
      id: 'outcomes',
      title: 'How drafts ended',
      labelHeading: 'Outcome',
      labels: DRAFT_OUTCOMES.map((o) => OUTCOME_LABEL[o]),
      series: [{ name: 'Drafts', values: DRAFT_OUTCOMES.map((o) => stats.outcomes[o]) }],
    },
    {
      id: 'tokens-by-model',
      title: 'Tokens by model',
      labelHeading: 'Model',
      labels: models.map((m) => m.model),
      series: [
        { name: 'Prompt tokens', values: models.map((m) => m.promptTokens) },
        { name: 'Output tokens', values: models.map((m) => m.outputTokens) },
      ],
    },
    {
      id: 'feedback',
      title: 'Feedback on drafts',
      labelHeading: 'Feedback',
      labels: ['Rated up', 'Rated down', 'Not rated'],
      series: [{ name: 'Drafts', values: [stats.feedback.up, stats.feedback.down, stats.feedback.none] }],
    },
    {
      id: 'top-documents',
      title: 'Most cited knowledge-base documents',
      labelHeading: 'Document',
      labels: docs.map((d) => d.title || d.path),
      series: [{ name: 'Citations', values: docs.map((d) => d.citations) }],
      horizontal: true,
    },
  ]
}

/** The chart's numbers as table rows: the label, then one cell per series. */
export function chartRows(chart: ChartSpec): (string | number)[][] {
  return chart.labels.map((label, i) => [label, ...chart.series.map((s) => s.values[i] ?? 0)])
}

/** The chart's numbers as CSV (RFC 4180, a header row first), for "Download CSV". */
export function chartCsv(chart: ChartSpec): string {
  return stringify([[chart.labelHeading, ...chart.series.map((s) => s.name)], ...chartRows(chart)], { eof: true, record_delimiter: '\r\n' })
}

export function chartCsvFilename(chart: ChartSpec, stats: Pick<ReviewStats, 'from' | 'to'>): string {
  const range = [stats.from, stats.to].filter(Boolean).map((d) => String(d).slice(0, 10))
  return `${[chart.id, ...range].join('_')}.csv`
}

export interface Figure {
  id: string
  label: string
  value: string
}

const percent = (n: number | null): string => (n === null ? '–' : `${(n * 100).toFixed(1)}%`)
const ms = (n: number | null): string => (n === null ? '–' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`)
const plain = (n: number | null, digits = 0): string => (n === null ? '–' : n.toFixed(digits))

/** The headline numbers above the charts. */
export function headlineFigures(stats: ReviewStats): Figure[] {
  return [
    { id: 'drafts', label: 'Drafts', value: String(stats.drafts) },
    { id: 'use-rate', label: 'Use rate', value: percent(stats.useRate) },
    { id: 'similarity', label: 'Kept of the draft (median similarity)', value: percent(stats.edits.medianSimilarity) },
    { id: 'edit-distance', label: 'Characters changed (median)', value: plain(stats.edits.medianEditDistance) },
    { id: 'ttft-median', label: 'First token, median', value: ms(stats.firstTokenMs.median) },
    { id: 'ttft-p95', label: 'First token, p95', value: ms(stats.firstTokenMs.p95) },
    { id: 'stopped-rate', label: 'Stopped', value: percent(stats.rates.stopped) },
    { id: 'error-rate', label: 'Failed', value: percent(stats.rates.error) },
    { id: 'blocked-rate', label: 'Blocked', value: percent(stats.rates.blocked) },
    { id: 'truncated-rate', label: 'Cut off', value: percent(stats.rates.truncated) },
  ]
}

/** The default range: the last 30 UTC days, today included. */
export function lastDays(today: Date, days = 30): { from: string; to: string } {
  const to = today.toISOString().slice(0, 10)
  const from = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10)
  return { from, to }
}
