// A Chart.js bar chart on a canvas, drawn in the theme's colours and redrawn when the theme changes. Canvas, not
// SVG or HTML: the console's CSP allows no inline styles, and Chart.js draws without any.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js'
import { useEffect, useRef, useState, type RefObject } from 'react'
import type { ChartSpec } from '../state/dashboard-charts'

// Only what bar charts use: the rest of Chart.js stays out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend)

const SERIES_VARS = ['--chart-1', '--chart-2', '--chart-3']
const DARK = '(prefers-color-scheme: dark)'

/** Redrawn on a theme change: canvas pixels do not follow CSS variables by themselves. */
function useColorScheme(): boolean {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches)
  useEffect(() => {
    const query = window.matchMedia(DARK)
    const changed = (): void => setDark(query.matches)
    query.addEventListener('change', changed)
    return () => query.removeEventListener('change', changed)
  }, [])
  return dark
}

export function useBarChart(canvas: RefObject<HTMLCanvasElement | null>, chart: ChartSpec): void {
  const dark = useColorScheme()
  const drawn = useRef<Chart<'bar'> | null>(null)

  useEffect(() => {
    const element = canvas.current
    if (!element) return
    const css = getComputedStyle(element)
    const color = (name: string): string => css.getPropertyValue(name).trim()
    const text = color('--text-muted')
    const grid = color('--border')
    drawn.current = new Chart(element, {
      type: 'bar',
      data: {
        labels: chart.labels,
        datasets: chart.series.map((series, i) => ({
          label: series.name,
          data: series.values,
          backgroundColor: color(SERIES_VARS[i % SERIES_VARS.length] as string),
          borderRadius: 3,
        })),
      },
      options: {
        indexAxis: chart.horizontal ? 'y' : 'x',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: chart.series.length > 1, labels: { color: text } }, tooltip: { enabled: true } },
        scales: {
          x: { ticks: { color: text }, grid: { color: grid } },
          y: { ticks: { color: text, precision: 0 }, grid: { color: grid }, beginAtZero: true },
        },
      },
    })
    return () => {
      drawn.current?.destroy()
      drawn.current = null
    }
  }, [canvas, chart, dark])
}
