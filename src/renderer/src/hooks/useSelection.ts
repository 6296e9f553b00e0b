// The console's selection (see state/selection.ts) and the ways the agent changes it.
import { useCallback, useRef, useState } from 'react'
import type { ConversationHit } from '../../../shared/domain'
import { closeIfOpen, openHit, setRenaming, startRenaming, type Selection } from '../state/selection'

export interface SelectionControls {
  selection: Selection | null
  open(conversation: ConversationHit): void
  /** A conversation just created. */
  openNew(id: number): void
  rename(conversation: ConversationHit): void
  setRenaming(renaming: boolean): void
  closeIfOpen(id: number): void
}

export function useSelection(): SelectionControls {
  const [selection, setSelection] = useState<Selection | null>(null)
  const nonce = useRef(0)
  return {
    selection,
    open: useCallback((conversation: ConversationHit) => setSelection(openHit(conversation, ++nonce.current)), []),
    openNew: useCallback((id: number) => setSelection({ id, focus: null, renaming: false }), []),
    rename: useCallback((conversation: ConversationHit) => setSelection((s) => startRenaming(s, conversation.id)), []),
    setRenaming: useCallback((renaming: boolean) => setSelection((s) => setRenaming(s, renaming)), []),
    closeIfOpen: useCallback((id: number) => setSelection((s) => closeIfOpen(s, id)), []),
  }
}
