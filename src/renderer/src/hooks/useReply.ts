// The reply the agent is working on in one conversation: Gemini's draft or the agent's edit of it, asking
// for a new draft (confirming first when that would discard edits), copying it, and using it (saving it to
// the transcript as the agent's reply). Edits survive switching conversations through DraftEditsProvider.
import { useCallback, useMemo, useState } from 'react'
import type { Message } from '../../../shared/domain'
import { useApi } from '../api/api-context'
import { describeSaveError } from '../api/errors'
import { useDraftEdits } from '../context/draft-edits'
import { useNotices } from '../context/notices'
import { useSettings } from '../context/settings'
import { copyText } from '../dom/clipboard'
import { draftBlock, hasSomethingToAnswer, type DraftBlock } from '../state/draft-block'
import { isDrafting } from '../state/draft-state'
import type { DraftControls } from './useDraft'

export interface ReplyControls {
  /** The reply text the agent will use (the draft's text, or their edit of it). */
  text: string
  /** The agent changed the draft's text. */
  edited: boolean
  setText(text: string): void
  /** Back to the draft's own text (a rewrite replaces the agent's edits; its Undo brings them back). */
  discardEdits(): void
  /** Why drafting is not possible right now (no API key, nothing to reply to), or null. */
  blocked: DraftBlock | null
  /** Draft, Regenerate or Retry; false when drafting is not possible now (so a shortcut does nothing). */
  requestDraft(): boolean
  /** Stops a draft in progress; false when there is none. */
  stopDraft(): boolean
  /** Regenerating would discard the agent's edits: waiting for them to confirm or cancel. */
  confirmingRegenerate: boolean
  confirmRegenerate(): void
  cancelRegenerate(): void
  copy(): void
  use(): void
  using: boolean
  useError: string | null
}

export interface ReplySource {
  conversationId: number
  draft: DraftControls
  /** The transcript, once loaded. */
  messages: readonly Message[] | undefined
  reload(): Promise<unknown>
}

export function useReply({ conversationId, draft, messages, reload }: ReplySource): ReplyControls {
  const api = useApi()
  const { toast, announce } = useNotices()
  const { settings } = useSettings()
  const edits = useDraftEdits()
  const [editedText, setEditedText] = useState<string | null>(() => edits.get(conversationId))
  const [using, setUsing] = useState(false)
  const [useError, setUseError] = useState<string | null>(null)
  const [confirmingRegenerate, setConfirmingRegenerate] = useState(false)

  const draftText = draft.draft.phase === 'ended' ? draft.draft.text : ''
  const text = editedText ?? draftText
  const edited = editedText !== null && editedText !== draftText
  const answerable = useMemo(() => (messages ? hasSomethingToAnswer(messages) : null), [messages])
  const blocked = draftBlock(settings?.apiKey.present ?? true, answerable)

  const { start, stop, cleared } = draft
  /** Forgets the agent's edits of this conversation's draft, here and in the per-conversation store. */
  const discardEdits = useCallback(() => {
    setEditedText(null)
    edits.clear(conversationId)
  }, [edits, conversationId])
  const startDraft = useCallback(() => {
    discardEdits()
    setUseError(null)
    void start()
  }, [start, discardEdits])

  const drafting = isDrafting(draft.draft)
  const requestDraft = useCallback((): boolean => {
    if (blocked || drafting) return false
    if (edited) setConfirmingRegenerate(true)
    else startDraft()
    return true
  }, [blocked, drafting, edited, startDraft])

  const stopDraft = useCallback((): boolean => {
    if (!drafting) return false
    void stop()
    return true
  }, [drafting, stop])

  const setText = (next: string): void => {
    setEditedText(next)
    edits.set(conversationId, next)
  }

  const use = async (): Promise<void> => {
    if (text.trim() === '') return
    setUsing(true)
    setUseError(null)
    try {
      await api.useReply(conversationId, text)
      discardEdits()
      cleared()
      announce('Reply saved to the transcript.')
      toast('Reply saved', 'success')
      await reload()
    } catch (error) {
      setUseError(describeSaveError(error, 'The reply'))
    } finally {
      setUsing(false)
    }
  }

  const copy = async (): Promise<void> => {
    toast((await copyText(text)) ? 'Reply copied' : 'Could not copy: select the text and copy it instead.', 'info')
  }

  return {
    text,
    edited,
    setText,
    discardEdits,
    blocked,
    requestDraft,
    stopDraft,
    confirmingRegenerate,
    confirmRegenerate: () => {
      setConfirmingRegenerate(false)
      startDraft()
    },
    cancelRegenerate: () => setConfirmingRegenerate(false),
    copy: () => void copy(),
    use: () => void use(),
    using,
    useError,
  }
}
