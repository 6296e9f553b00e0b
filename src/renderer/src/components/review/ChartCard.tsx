// One dashboard chart: the bars (a canvas, named for screen readers), its numbers as a table (the accessible
// alternative, folded by default), and a CSV download of the same numbers.
import { useId, useRef } from 'react'
import type { ReviewStats } from '../../../../shared/review'
import { download } from '../../dom/download'
import { useBarChart } from '../../hooks/useBarChart'
import { chartCsv, chartCsvFilename, chartRows, type ChartSpec } from '../../state/dashboard-charts'
import { Icon } from '../Icon'

export function ChartCard({ chart, stats }: { chart: ChartSpec; stats: ReviewStats }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const headingId = useId()
  useBarChart(canvas, chart)
  const rows = chartRows(chart)
  return (
    <section className="chart-card" aria-labelledby={headingId} data-testid="chart-card" data-chart={chart.id}>
      <header className="chart-card-header">
        <h2 id={headingId}>{chart.title}</h2>
        <button
          type="button"
          className="button button-small no-print"
          onClick={() => download({ filename: chartCsvFilename(chart, stats), mimeType: 'text/csv', content: chartCsv(chart) })}
          data-testid="chart-csv"
        >
          <Icon name="download" size={14} />
          Download CSV
        </button>
      </header>
      {rows.length === 0 ? (
        <p className="muted chart-empty">Nothing in this range.</p>
      ) : (
        <div className="chart-canvas">
          <canvas ref={canvas} role="img" aria-label={`${chart.title}: bar chart. Its numbers are in the table below.`} data-testid="chart-canvas" />
        </div>
      )}
      <details className="chart-table">
        <summary>Show the numbers</summary>
        <table data-testid="chart-table">
          <thead>
            <tr>
              <th scope="col">{chart.labelHeading}</th>
              {chart.series.map((s) => (
                <th key={s.name} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, ...values]) => (
              <tr key={String(label)}>
                <th scope="row">{label}</th>
                {values.map((v, i) => (
                  <td key={i}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  )
}
