// The list's checked conversations (for bulk tag and export), kept to those still listed as the list changes.
import { useCallback, useEffect, useMemo, useState } from 'react'
import {
  checkAll,
  checkedInOrder,
  checkRange,
  keepListed,
  NO_BULK_SELECTION,
  toggleChecked,
  type BulkKey,
  type BulkSelection,
} from '../state/bulk-selection'

export interface BulkControls {
  checked: ReadonlySet<number>
  /** The checked ids in list order. */
  ids: number[]
  toggle(id: number): void
  range(id: number): void
  /** A key from bulkKeyAction, on the list's active row. */
  key(action: BulkKey, activeId: number | null): void
  clear(): void
}

export function useBulkSelection(order: readonly number[]): BulkControls {
  const [selection, setSelection] = useState<BulkSelection>(NO_BULK_SELECTION)

  useEffect(() => setSelection((s) => keepListed(s, order)), [order])

  const toggle = useCallback((id: number) => setSelection((s) => toggleChecked(s, id)), [])
  const range = useCallback((id: number) => setSelection((s) => checkRange(s, order, id)), [order])
  const clear = useCallback(() => setSelection(NO_BULK_SELECTION), [])
  const key = useCallback(
    (action: BulkKey, activeId: number | null) => {
      if (action === 'all') setSelection(checkAll(order))
      else if (action === 'clear') setSelection(NO_BULK_SELECTION)
      else if (activeId !== null) setSelection((s) => (action === 'range' ? checkRange(s, order, activeId) : toggleChecked(s, activeId)))
    },
    [order],
  )
  const ids = useMemo(() => checkedInOrder(selection, order), [selection, order])
  return { checked: selection.ids, ids, toggle, range, key, clear }
}
