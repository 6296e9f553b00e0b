// The conversations checked in the list for a bulk action (tag, export): a click on a row's box, Ctrl/⌘+click,
// Ctrl/⌘+Space or X checks one; Shift (click or Space) checks the run from the last one checked; Ctrl/⌘+A checks
// everything loaded; Escape clears. Plain Space and Enter still open the row.
// Pure: unit-tested under Node.

export interface BulkSelection {
  ids: ReadonlySet<number>
  /** The conversation last checked or unchecked: where a Shift range starts. */
  anchor: number | null
}

export const NO_BULK_SELECTION: BulkSelection = { ids: new Set(), anchor: null }

export function toggleChecked(selection: BulkSelection, id: number): BulkSelection {
  const ids = new Set(selection.ids)
  if (ids.has(id)) ids.delete(id)
  else ids.add(id)
  return { ids, anchor: id }
}

/** Checks every conversation between the anchor and this one (in list order), keeping what was checked. */
export function checkRange(selection: BulkSelection, order: readonly number[], id: number): BulkSelection {
  const to = order.indexOf(id)
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor)
  if (to < 0) return selection
  if (from < 0) return toggleChecked(selection, id)
  const ids = new Set(selection.ids)
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) ids.add(order[i] as number)
  return { ids, anchor: id }
}

export function checkAll(order: readonly number[]): BulkSelection {
  return { ids: new Set(order), anchor: order.at(-1) ?? null }
}

/** Only conversations still in the list stay checked (after a new filter, or a delete). */
export function keepListed(selection: BulkSelection, order: readonly number[]): BulkSelection {
  const listed = new Set(order)
  const ids = [...selection.ids].filter((id) => listed.has(id))
  if (ids.length === selection.ids.size) return selection
  return { ids: new Set(ids), anchor: selection.anchor !== null && listed.has(selection.anchor) ? selection.anchor : null }
}

/** The checked ids in list order (what a bulk action sends). */
export function checkedInOrder(selection: BulkSelection, order: readonly number[]): number[] {
  return order.filter((id) => selection.ids.has(id))
}

export type BulkKey = 'toggle' | 'range' | 'all' | 'clear'

/** The list's bulk-selection keys; null for any other key (the list's own keys then apply). */
export function bulkKeyAction(key: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }, anyChecked: boolean): BulkKey | null {
  if (key.key === ' ' && key.shiftKey) return 'range'
  if ((key.key === ' ' && (key.ctrlKey || key.metaKey)) || ((key.key === 'x' || key.key === 'X') && !key.ctrlKey && !key.metaKey)) return 'toggle'
  if ((key.key === 'a' || key.key === 'A') && (key.ctrlKey || key.metaKey)) return 'all'
  if (key.key === 'Escape' && anyChecked) return 'clear'
  return null
}
