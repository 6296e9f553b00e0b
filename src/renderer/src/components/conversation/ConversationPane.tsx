// One open conversation: its transcript and customer-message box (main) and the reply draft (aside).
// Mounted per conversation (keyed by id), so switching conversations starts from a clean state, except
// for the agent's unsent edits, which DraftEditsProvider keeps.
import { useEffect, useId, useMemo } from 'react'
import type { Conversation } from '../../../../shared/domain'
import { useConversation } from '../../hooks/useConversation'
import { useConversationActions } from '../../hooks/useConversationActions'
import { useDraft } from '../../hooks/useDraft'
import { useDraftAnnouncements } from '../../hooks/useDraftAnnouncements'
import { useGlobalShortcuts } from '../../hooks/useGlobalShortcuts'
import { useOfflineDraft } from '../../hooks/useOfflineDraft'
import { useReply } from '../../hooks/useReply'
import { useRewrite } from '../../hooks/useRewrite'
import { useSummary } from '../../hooks/useSummary'
import { isDrafting } from '../../state/draft-state'
import { currentDraftAfterUndo } from '../../state/rewrite-undo'
import type { Selection } from '../../state/selection'
import { ConfirmDialog } from '../ConfirmDialog'
import { DraftPanel } from '../draft/DraftPanel'
import { ConversationHeader } from './ConversationHeader'
import { ConversationLoading } from './ConversationLoading'
import { CustomerComposer } from './CustomerComposer'
import { SummaryPanel } from './SummaryPanel'
import { Transcript } from './Transcript'

export interface ConversationPaneProps {
  selection: Selection
  onRenamingChange(renaming: boolean): void
  onConversationChanged(conversation: Conversation): void
  onDeleteRequest(conversation: Conversation): void
  /** The conversation no longer exists (deleted in another window). */
  onMissing(id: number): void
}

export function ConversationPane({ selection, onRenamingChange, onConversationChanged, onDeleteRequest, onMissing }: ConversationPaneProps) {
  const conversationId = selection.id
  const titleId = useId()
  const conversation = useConversation(conversationId)
  const { detail, reload } = conversation
  const draft = useDraft(conversationId, { onEnded: () => void reload(), reload })
  const reply = useReply({ conversationId, draft, messages: detail?.messages, reload })
  const offline = useOfflineDraft({ conversationId, draft, reply, reload })
  const actions = useConversationActions(conversationId, reload, onConversationChanged)
  const rewrite = useRewrite(conversationId, draft, reply, detail)
  const summary = useSummary(conversationId, reload)
  useDraftAnnouncements(draft.draft)
  useGlobalShortcuts({ draft: reply.requestDraft, stop: () => reply.stopDraft() || summary.stop() })

  // Each transcript load tells the draft panel which draft is current and the list what changed.
  const { loaded } = draft
  const { undone } = rewrite
  useEffect(() => {
    if (!detail) return
    loaded(currentDraftAfterUndo(detail.messages, undone))
    onConversationChanged(detail.conversation)
  }, [detail, undone, loaded, onConversationChanged])
  // The saved draft the panel shows (its feedback), and what snippets' placeholders are filled with.
  const shownId = draft.draft.phase === 'ended' ? draft.draft.messageId : null
  const saved = detail?.messages.find((m) => m.id === shownId) ?? null
  const title = detail?.conversation.title ?? null
  const placeholders = useMemo(() => ({ conversation_title: title }), [title])

  useEffect(() => {
    if (conversation.missing) onMissing(conversationId)
  }, [conversation.missing, conversationId, onMissing])

  if (!detail) return <ConversationLoading loading={conversation.loading} error={conversation.error} onRetry={() => void reload()} />

  // The live draft is shown in the panel; its row joins the transcript's history when it ends.
  const liveId = isDrafting(draft.draft) ? draft.draft.messageId : null
  const transcriptMessages = detail.messages.filter((m) => m.status !== 'streaming' && m.id !== liveId)

  return (
    <div className="conversation-layout">
      <main className="conversation" aria-labelledby={titleId} data-testid="conversation-view" data-conversation-id={conversationId}>
        <ConversationHeader
          conversation={detail.conversation}
          titleId={titleId}
          editing={selection.renaming}
          onEditingChange={onRenamingChange}
          onRename={actions.rename}
          onDelete={() => onDeleteRequest(detail.conversation)}
          onExport={actions.exportTranscript}
          summary={summary}
        />
        <SummaryPanel saved={detail.conversation.summary} controls={summary} />
        <Transcript messages={transcriptMessages} focus={selection.focus} />
        {/* A conversation just created has nothing in it: the agent's next step is pasting the customer's words
            (unless they opened it to rename it). */}
        <CustomerComposer onAdd={actions.addCustomerMessage} focusOnMount={detail.messages.length === 0 && !selection.renaming} />
      </main>
      <DraftPanel draft={draft} reply={reply} offline={offline} steering={{ rewrite, saved, placeholders }} />
      {reply.confirmingRegenerate && (
        <ConfirmDialog
          title="Discard your edits?"
          message="Regenerating replaces the reply you edited with a new draft. The earlier draft stays in the transcript's history, but your edits will be lost."
          confirmLabel="Discard and regenerate"
          danger
          testId="confirm-regenerate-dialog"
          onCancel={reply.cancelRegenerate}
          onConfirm={reply.confirmRegenerate}
        />
      )}
    </div>
  )
}
