// Markdown tables with padded columns: aligned in a terminal and pasteable into the README as they are.

export interface Column {
  header: string
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right'
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(3, column.header.length, ...rows.map((row) => (row[i] ?? '').length)))
  const pad = (text: string, i: number): string =>
    columns[i]?.align === 'right' ? text.padStart(widths[i] as number) : text.padEnd(widths[i] as number)
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, i) => pad(cell, i)).join(' | ')} |`
  const rule = `|${columns
    .map((column, i) => {
      const dashes = '-'.repeat(widths[i] as number)
      return column.align === 'right' ? ` ${dashes.slice(1)}: ` : ` ${dashes} `
    })
    .join('|')}|`
  return [line(columns.map((c) => c.header)), rule, ...rows.map((row) => line(columns.map((_, i) => row[i] ?? '')))].join('\n')
}

/** Milliseconds for a table cell: more digits where they mean something, none where they would be noise. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–'
  if (value < 10) return value.toFixed(2)
  if (value < 100) return value.toFixed(1)
  return value.toFixed(0)
}

export function int(value: number): string {
  if (!Number.isFinite(value)) return '–'
  return Math.round(value).toLocaleString('en-US')
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–'
}
