// Whether the reply panel shows the reply rendered (preview) or as text to edit. A new or newly loaded
// draft is shown rendered (unless the agent is editing it); an empty panel is for writing.
import { useEffect, useState } from 'react'
import { isDrafting, type DraftState } from '../state/draft-state'

export type ReplyMode = 'preview' | 'edit'

export function useReplyMode(draft: DraftState, text: string, edited: boolean): [ReplyMode, (mode: ReplyMode) => void] {
  const [mode, setMode] = useState<ReplyMode>(text === '' ? 'edit' : 'preview')
  const drafting = isDrafting(draft)

  useEffect(() => {
    if (draft.phase === 'streaming' || (draft.messageId !== null && !edited)) setMode('preview')
    // Only a change of draft decides this, not each keystroke of an edit.
  }, [draft.phase, draft.messageId])
  useEffect(() => {
    if (text === '' && !drafting) setMode('edit')
  }, [text, drafting])

  return [mode, setMode]
}
