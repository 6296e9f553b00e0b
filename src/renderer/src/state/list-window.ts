// Which rows of a long, fixed-row-height list to put in the DOM: the visible ones plus a few either side.
// With 10,000 conversations the DOM holds a few dozen rows. Pure: unit-tested under Node.

export interface WindowInput {
  scrollTop: number
  viewportHeight: number
  rowHeight: number
  count: number
  /** Extra rows rendered above and below the viewport, so fast scrolling shows no gap. */
  overscan: number
}

export interface ListWindow {
  /** First row rendered. */
  start: number
  /** One past the last row rendered. */
  end: number
}

export function computeWindow({ scrollTop, viewportHeight, rowHeight, count, overscan }: WindowInput): ListWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 }
  const top = Math.max(0, scrollTop)
  const firstVisible = Math.min(count - 1, Math.floor(top / rowHeight))
  const visibleRows = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1
  return {
    start: Math.max(0, firstVisible - overscan),
    end: Math.min(count, firstVisible + visibleRows + overscan),
  }
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollTopToReveal(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number | null {
  const rowTop = index * rowHeight
  const rowBottom = rowTop + rowHeight
  if (rowTop < scrollTop) return rowTop
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight)
  return null
}

/** Whether the rendered window is close enough to the end of the loaded rows to fetch the next page. */
export function shouldLoadMore(window: ListWindow, loaded: number, threshold: number): boolean {
  return loaded > 0 && window.end >= loaded - threshold
}
