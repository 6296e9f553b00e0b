// The agent's unsent edits to a reply, per conversation, kept while the console is open so switching to
// another conversation and back does not lose them. In memory only: a reply in progress is not a record.
// The provider owns the map (one per console, not one per module); it is read when a conversation opens
// and written as the agent types, and no render depends on it changing, so it is not React state.
import { createContext, useContext, useState, type ReactNode } from 'react'

export interface DraftEdits {
  get(conversationId: number): string | null
  set(conversationId: number, text: string): void
  clear(conversationId: number): void
}

function createDraftEdits(): DraftEdits {
  const edits = new Map<number, string>()
  return {
    get: (conversationId) => edits.get(conversationId) ?? null,
    set: (conversationId, text) => {
      edits.set(conversationId, text)
    },
    clear: (conversationId) => {
      edits.delete(conversationId)
    },
  }
}

const DraftEditsContext = createContext<DraftEdits | null>(null)

export function DraftEditsProvider({ children }: { children: ReactNode }) {
  const [edits] = useState(createDraftEdits)
  return <DraftEditsContext.Provider value={edits}>{children}</DraftEditsContext.Provider>
}

export function useDraftEdits(): DraftEdits {
  const edits = useContext(DraftEditsContext)
  if (!edits) throw new Error('useDraftEdits needs a <DraftEditsProvider> above it')
  return edits
}
