// One open conversation: its transcript and customer-message box (main) and the reply draft (aside).
// Mounted per conversation (keyed by id), so switching conversations starts from a clean state, except
// for the agent's unsent edits, which are kept in draftEdits.
import { useCallback, useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react'
import type { ExportFormat } from '../../../shared/api'
import type { Conversation } from '../../../shared/domain'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { copyText } from '../hooks/useClipboard'
import { useConversation } from '../hooks/useConversation'
import { useDraft } from '../hooks/useDraft'
import { useNotices } from '../hooks/useNotices'
import { draftEdits } from '../state/draft-edits'
import { currentDraftMessage, isDrafting, type DraftState } from '../state/draft-state'
import { shortcutKeys } from '../state/shortcuts'
import { ConfirmDialog } from './ConfirmDialog'
import { ConversationHeader } from './ConversationHeader'
import { CustomerComposer } from './CustomerComposer'
import { DraftPanel } from './DraftPanel'
import { Transcript, type FocusRequest } from './Transcript'

/** What the app-wide shortcuts can ask of the open conversation. */
export interface PaneCommands {
  /** Returns false when drafting is not possible now (so the key does nothing). */
  draft(): boolean
  stop(): boolean
}

export interface ConversationPaneProps {
  conversationId: number
  focus: FocusRequest | null
  renameRequest: number
  hasApiKey: boolean
  mac: boolean
  now: Date
  commands: Ref<PaneCommands>
  onConversationChanged(conversation: Conversation): void
  onDeleteRequest(conversation: Conversation): void
  onMissing(id: number): void
  onOpenSettings(): void
}

const ANNOUNCE_END: Record<NonNullable<DraftState['status']>, string> = {
  complete: 'Draft ready.',
  stopped: 'Draft stopped.',
  error: 'The draft failed.',
  blocked: 'Gemini declined to draft this reply.',
  interrupted: 'The draft was interrupted.',
}

function download(file: { filename: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = file.filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function ConversationPane(props: ConversationPaneProps) {
  const { conversationId, onConversationChanged, mac } = props
  const api = useApi()
  const { toast, announce } = useNotices()
  const titleId = useId()
  const conversation = useConversation(conversationId)
  const { detail, reload } = conversation
  const draft = useDraft(conversationId, { onEnded: () => void reload(), reload })
  const { loaded } = draft
  const [editedText, setEditedText] = useState<string | null>(() => draftEdits.get(conversationId))
  const [using, setUsing] = useState(false)
  const [useError, setUseError] = useState<string | null>(null)
  const [confirmRegenerate, setConfirmRegenerate] = useState(false)
  const composer = useRef<HTMLTextAreaElement>(null)

  // Each transcript load tells the draft panel which draft is current and the list what changed.
  useEffect(() => {
    if (!detail) return
    loaded(currentDraftMessage(detail.messages))
    onConversationChanged(detail.conversation)
  }, [detail, loaded, onConversationChanged])

  const { onMissing } = props
  useEffect(() => {
    if (conversation.missing) onMissing(conversationId)
  }, [conversation.missing, conversationId, onMissing])

  // Screen readers hear that a draft started and how it ended, not every token.
  const phase = draft.draft.phase
  const status = draft.draft.status
  const previousPhase = useRef(phase)
  useEffect(() => {
    const before = previousPhase.current
    previousPhase.current = phase
    if (phase === 'streaming' && before !== 'streaming') announce('Drafting a reply…')
    if (phase === 'ended' && (before === 'streaming' || before === 'starting') && status) announce(ANNOUNCE_END[status])
  }, [phase, status, announce])

  const replyText = editedText ?? (draft.draft.phase === 'ended' ? draft.draft.text : '')
  const edited = editedText !== null && editedText !== (draft.draft.phase === 'ended' ? draft.draft.text : '')

  const messages = detail?.messages
  const hasSomethingToAnswer = useMemo(() => (messages ?? []).some((m) => (m.role === 'customer' || m.role === 'agent') && m.text.trim() !== ''), [messages])
  const draftBlocked = !props.hasApiKey
    ? { reason: 'Add a Gemini API key in Settings to draft replies.', settings: true }
    : detail && !hasSomethingToAnswer
      ? { reason: 'Add the customer’s message first.', settings: false }
      : null

  const { start, stop } = draft
  const startDraft = useCallback(() => {
    setEditedText(null)
    draftEdits.clear(conversationId)
    setUseError(null)
    void start()
  }, [start, conversationId])

  const requestDraft = useCallback((): boolean => {
    if (draftBlocked || isDrafting(draft.draft)) return false
    if (edited) setConfirmRegenerate(true)
    else startDraft()
    return true
  }, [draftBlocked, draft.draft, edited, startDraft])

  useImperativeHandle(
    props.commands,
    () => ({
      draft: requestDraft,
      stop: () => {
        if (!isDrafting(draft.draft)) return false
        void stop()
        return true
      },
    }),
    [requestDraft, draft.draft, stop],
  )

  const onTextChange = (text: string): void => {
    setEditedText(text)
    draftEdits.set(conversationId, text)
  }

  const useReply = async (): Promise<void> => {
    const text = replyText
    if (text.trim() === '') return
    setUsing(true)
    setUseError(null)
    try {
      await api.useReply(conversationId, text)
      setEditedText(null)
      draftEdits.clear(conversationId)
      draft.cleared()
      announce('Reply saved to the transcript.')
      toast('Reply saved', 'success')
      await reload()
    } catch (error) {
      setUseError(describeError(error))
    } finally {
      setUsing(false)
    }
  }

  const addCustomerMessage = async (text: string): Promise<boolean> => {
    try {
      // The core names a new conversation after its first customer message; reload shows the new title.
      await api.addCustomerMessage(conversationId, text)
      await reload()
      return true
    } catch (error) {
      toast(describeError(error), 'error')
      return false
    }
  }

  const rename = async (title: string): Promise<boolean> => {
    try {
      const renamed = await api.renameConversation(conversationId, title)
      onConversationChanged(renamed)
      await reload()
      return true
    } catch (error) {
      toast(describeError(error), 'error')
      return false
    }
  }

  const exportTranscript = async (format: ExportFormat): Promise<void> => {
    try {
      download(await api.exportConversation(conversationId, format))
    } catch (error) {
      toast(describeError(error), 'error')
    }
  }

  const copy = async (): Promise<void> => {
    toast((await copyText(replyText)) ? 'Reply copied' : 'Could not copy: select the text and copy it instead.', 'info')
  }

  // A conversation just created has nothing in it: the agent's next step is pasting the customer's words.
  const firstLoad = useRef(true)
  useEffect(() => {
    if (!detail || !firstLoad.current) return
    firstLoad.current = false
    if (detail.messages.length === 0) composer.current?.focus()
  }, [detail])

  if (!detail) {
    return (
      <main className="conversation conversation-loading" aria-busy={conversation.loading} data-testid="conversation-view">
        {conversation.error ? (
          <div className="list-empty">
            <p>Could not open this conversation: {conversation.error}</p>
            <button type="button" className="button" onClick={() => void reload()}>
              Retry
            </button>
          </div>
        ) : (
          <div className="draft-waiting">
            <span className="spinner" aria-hidden="true" />
            Loading…
          </div>
        )}
      </main>
    )
  }

  // The live draft is shown in the panel; its row joins the transcript's history when it ends.
  const liveId = isDrafting(draft.draft) ? draft.draft.messageId : null
  const transcriptMessages = detail.messages.filter((m) => m.status !== 'streaming' && m.id !== liveId)

  return (
    <div className="conversation-layout">
      <main className="conversation" aria-labelledby={titleId} data-testid="conversation-view" data-conversation-id={conversationId}>
        <ConversationHeader
          conversation={detail.conversation}
          titleId={titleId}
          renameRequest={props.renameRequest}
          onRename={rename}
          onDelete={() => props.onDeleteRequest(detail.conversation)}
          onExport={(format) => void exportTranscript(format)}
        />
        <Transcript messages={transcriptMessages} focus={props.focus} now={props.now} />
        <CustomerComposer ref={composer} onAdd={addCustomerMessage} mac={mac} shortcut={shortcutKeys('send-customer', mac)} />
      </main>
      <DraftPanel
        draft={draft.draft}
        text={replyText}
        edited={edited}
        onTextChange={onTextChange}
        onDraft={() => void requestDraft()}
        onStop={() => void stop()}
        stopping={draft.stopping}
        onCopy={() => void copy()}
        onUse={() => void useReply()}
        using={using}
        useError={useError}
        onOpenSettings={props.onOpenSettings}
        draftBlocked={draftBlocked}
        mac={mac}
      />
      {confirmRegenerate && (
        <ConfirmDialog
          title="Discard your edits?"
          message="Regenerating replaces the reply you edited with a new draft. The earlier draft stays in the transcript's history, but your edits will be lost."
          confirmLabel="Discard and regenerate"
          danger
          testId="confirm-regenerate-dialog"
          onCancel={() => setConfirmRegenerate(false)}
          onConfirm={() => {
            setConfirmRegenerate(false)
            startDraft()
          }}
        />
      )}
    </div>
  )
}
