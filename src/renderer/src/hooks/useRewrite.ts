// Rewriting the reply (Gemini's draft or the agent's own text) and undoing it. A rewrite streams into the panel
// like a draft (useDraft, so Stop works the same way); the reply before it is remembered, and Undo
// (a button, or Ctrl/⌘+Z outside text fields) brings it back in one step.
import { useCallback, useState } from 'react'
import type { ConversationDetail } from '../../../shared/domain'
import type { RewriteInstruction } from '../../../shared/steering'
import { useApi } from '../api/api-context'
import { useNotices } from '../context/notices'
import { useSettings } from '../context/settings'
import { isDrafting } from '../state/draft-state'
import { rewriteLabel } from '../state/rewrite-instructions'
import { undoableStep, type RewriteStep } from '../state/rewrite-undo'
import type { DraftControls } from './useDraft'
import { useGlobalShortcuts } from './useGlobalShortcuts'
import type { ReplyControls } from './useReply'

export interface RewriteControls {
  rewrite(instruction: RewriteInstruction): void
  /** Why rewriting is not possible right now, or null. */
  blocked: string | null
  /** The language the customer writes in ("German"), when detected. */
  customerLanguage: string | null
  /** What the draft shown is called when it is a rewrite ("Shorter"), else null. */
  label: string | null
  /** What Undo would restore ("Undo “Shorter”"), or null when there is nothing to undo. */
  undoLabel: string | null
  /** Returns false when there was nothing to undo (so Ctrl/⌘+Z keeps its usual meaning). */
  undo(): boolean
  /** Rewrites undone here: no longer offered as the current draft. */
  undone: readonly number[]
}

export function useRewrite(conversationId: number, draft: DraftControls, reply: ReplyControls, detail: ConversationDetail | null): RewriteControls {
  const api = useApi()
  const { settings } = useSettings()
  const { announce } = useNotices()
  const [steps, setSteps] = useState<RewriteStep[]>([])
  const [undone, setUndone] = useState<number[]>([])
  const customerLanguage = detail?.customerLanguage ?? null
  const state = draft.draft
  const busy = isDrafting(state)

  let blocked: string | null = null
  if (settings && !settings.apiKey.present) blocked = 'Add a Gemini API key in Settings to rewrite.'
  else if (busy) blocked = 'Wait until the draft has finished.'
  else if (reply.text.trim() === '') blocked = 'Draft or write a reply first.'

  const rewrite = (instruction: RewriteInstruction): void => {
    if (blocked) return
    const shown = state.phase === 'ended' ? (detail?.messages.find((m) => m.id === state.messageId) ?? null) : null
    const before = { message: shown, text: reply.text, edited: reply.edited || shown === null }
    const label = rewriteLabel(instruction, customerLanguage)
    reply.discardEdits()
    void draft
      .start(() => api.rewriteDraft(conversationId, { text: before.text, instruction }))
      .then((rewriteId) => {
        if (rewriteId !== null) setSteps((s) => [...s, { rewriteId, label, before }])
        // It never started: the agent's text comes back as it was.
        else if (before.edited) reply.setText(before.text)
      })
  }

  const step = undoableStep(steps, state.messageId, busy)
  const { loaded } = draft
  const { setText, discardEdits } = reply
  const undo = useCallback((): boolean => {
    if (!step) return false
    setSteps((s) => s.slice(0, -1))
    setUndone((u) => [...u, step.rewriteId])
    loaded(step.before.message)
    if (step.before.edited) setText(step.before.text)
    else discardEdits()
    announce(`Rewrite “${step.label}” undone.`)
    return true
  }, [step, loaded, setText, discardEdits, announce])
  useGlobalShortcuts({ 'undo-rewrite': undo })

  const ownLabel = steps.find((s) => s.rewriteId === (state.messageId ?? state.pendingMessageId))?.label
  const label = ownLabel ?? (state.kind === 'rewrite' ? (state.instruction ?? 'Rewrite') : null)
  return { rewrite, blocked, customerLanguage, label, undoLabel: step ? `Undo “${step.label}”` : null, undo, undone }
}
