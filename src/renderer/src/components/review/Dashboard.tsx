// The review dashboard: how drafting went over a range of days, for the conversations the sidebar's filter (and
// search words) select. Headline figures, then one chart per question, each with its table and CSV.
import { useId, useMemo, useState } from 'react'
import type { ConversationFilter } from '../../../../shared/review'
import { useStats } from '../../hooks/useStats'
import { dashboardCharts, headlineFigures, lastDays } from '../../state/dashboard-charts'
import { isEmptyFilter } from '../../state/review-filter'
import { ChartCard } from './ChartCard'

export function Dashboard({ filter, onClose }: { filter: ConversationFilter; onClose(): void }) {
  const titleId = useId()
  const [range, setRange] = useState(() => lastDays(new Date()))
  const { stats, loading, error } = useStats({ ...filter, from: range.from || undefined, to: range.to || undefined })
  const charts = useMemo(() => (stats ? dashboardCharts(stats) : []), [stats])
  // The range here replaces the list's dates; whatever else the list's filter sets narrows the figures too.
  const narrowed = !isEmptyFilter({ ...filter, from: undefined, to: undefined }) || !!filter.q
  return (
    <main className="dashboard print-root" aria-labelledby={titleId} aria-busy={loading} data-testid="dashboard">
      <header className="dashboard-header">
        <h1 id={titleId}>Dashboard</h1>
        <fieldset className="filter-dates">
          <legend className="visually-hidden">Drafts made between (UTC days)</legend>
          <label>
            From
            <input type="date" value={range.from} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))} data-testid="dashboard-from" />
          </label>
          <label>
            To
            <input type="date" value={range.to} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} data-testid="dashboard-to" />
          </label>
        </fieldset>
        <button type="button" className="button no-print" onClick={onClose} data-testid="dashboard-close">
          Back to conversations
        </button>
      </header>
      {narrowed && <p className="muted small">Only the conversations the list’s filter and search select are counted.</p>}
      {error && <p role="alert">Could not load the figures: {error}</p>}
      {stats && (
        <>
          <dl className="dashboard-figures" data-testid="dashboard-figures">
            {headlineFigures(stats).map((figure) => (
              <div key={figure.id} className="figure" data-testid="figure" data-figure={figure.id}>
                <dt>{figure.label}</dt>
                <dd>{figure.value}</dd>
              </div>
            ))}
          </dl>
          <div className="chart-grid">
            {charts.map((chart) => (
              <ChartCard key={chart.id} chart={chart} stats={stats} />
            ))}
          </div>
        </>
      )}
    </main>
  )
}
