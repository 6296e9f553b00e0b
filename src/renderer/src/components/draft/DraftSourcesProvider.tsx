// The draft's sources for everything in the panel that cites them (the [n] buttons in the text and the Sources
// list), and the passage dialog either opens. One provider, so a marker and its list entry open the same thing.
import { useMemo, useState, type ReactNode } from 'react'
import type { DraftSource } from '../../../../shared/knowledge'
import { CitationContext } from '../../markdown/citation-context'
import { PassageDialog } from './PassageDialog'

export function DraftSourcesProvider({ sources, children }: { sources: DraftSource[]; children: ReactNode }) {
  const [open, setOpen] = useState<DraftSource | null>(null)
  // Stable while the draft streams (its sources do not change after the first event), so memoised blocks stay put.
  const citations = useMemo(() => ({ sources, open: setOpen }), [sources])
  return (
    <CitationContext.Provider value={citations}>
      {children}
      {open && <PassageDialog source={open} onClose={() => setOpen(null)} />}
    </CitationContext.Provider>
  )
}
