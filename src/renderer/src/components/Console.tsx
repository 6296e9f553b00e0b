// The console's frame: conversation list (nav), the open conversation (main) with its reply draft (aside),
// the API-key and endpoint banners, and the confirmation before a conversation is deleted. The workspace can show
// the review dashboard or a conversation's full timeline instead (issue 9); the sidebar's filter narrows the list.
import { lazy, Suspense, useCallback, useState } from 'react'
import type { Conversation, ConversationHit } from '../../../shared/domain'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'
import { useSettings } from '../context/settings'
import { useConversationSearch } from '../hooks/useConversationSearch'
import { useLocationSync, useReviewLocation } from '../hooks/useReviewLocation'
import { useSelection } from '../hooks/useSelection'
import { ApiKeyBanner } from './ApiKeyBanner'
import { ConfirmDialog } from './ConfirmDialog'
import { EndpointBanner } from './EndpointBanner'
import { ConversationPane } from './conversation/ConversationPane'
import { ReviewProvider } from './review/ReviewProvider'
import { TimelineView } from './review/TimelineView'
import { Sidebar } from './sidebar/Sidebar'
import { Welcome } from './Welcome'

// The dashboard brings the charting library: loaded the first time it is opened, not with the console.
const Dashboard = lazy(() => import('./review/Dashboard').then((module) => ({ default: module.Dashboard })))

export function Console() {
  const api = useApi()
  const { settings } = useSettings()
  const { toast } = useNotices()
  const review = useReviewLocation()
  const search = useConversationSearch(review.filter, review.initialQuery)
  useLocationSync(review.filter, search.settledQuery, review.view)
  const { list } = search
  const { selection, ...select } = useSelection()
  const [creating, setCreating] = useState(false)
  const [toDelete, setToDelete] = useState<Conversation | null>(null)

  const createConversation = async (): Promise<void> => {
    setCreating(true)
    try {
      const conversation = await api.createConversation({})
      search.setQuery('')
      list.applyConversation(conversation)
      select.openNew(conversation.id)
      review.setView({ kind: 'conversations' })
    } catch (error) {
      toast(describeError(error), 'error')
    } finally {
      setCreating(false)
    }
  }

  const confirmDelete = async (): Promise<void> => {
    const conversation = toDelete
    setToDelete(null)
    if (!conversation) return
    try {
      await api.deleteConversation(conversation.id)
      list.remove(conversation.id)
      select.closeIfOpen(conversation.id)
      toast(`Deleted “${conversation.title}”`, 'success')
    } catch (error) {
      toast(describeError(error), 'error')
    }
  }

  const { remove } = list
  const { closeIfOpen } = select
  const onMissing = useCallback(
    (id: number) => {
      remove(id)
      closeIfOpen(id)
      toast('That conversation was deleted.', 'info')
    },
    [remove, closeIfOpen, toast],
  )

  const { setView } = review
  const openTimeline = useCallback((conversationId: number) => setView({ kind: 'timeline', conversationId }), [setView])
  const showConversations = useCallback(() => setView({ kind: 'conversations' }), [setView])
  const openFromList = (conversation: ConversationHit): void => {
    showConversations()
    select.open(conversation)
  }
  const { view } = review

  return (
    <ReviewProvider onOpenTimeline={openTimeline}>
      <div className="app">
        <Sidebar
          search={search}
          selectedId={selection?.id ?? null}
          creating={creating}
          onNew={() => void createConversation()}
          onOpen={openFromList}
          onRename={select.rename}
          onDelete={setToDelete}
          review={review}
        />
        <div className="workspace">
          {settings && !settings.apiKey.present && <ApiKeyBanner />}
          {settings && <EndpointBanner endpoint={settings.endpoint} />}
          {view.kind === 'dashboard' ? (
            <Suspense fallback={<p className="muted dashboard">Loading the dashboard…</p>}>
              <Dashboard filter={{ ...review.filter, q: search.settledQuery || undefined }} onClose={showConversations} />
            </Suspense>
          ) : view.kind === 'timeline' ? (
            <TimelineView key={view.conversationId} conversationId={view.conversationId} onClose={showConversations} />
          ) : selection ? (
            <ConversationPane
              key={selection.id}
              selection={selection}
              onRenamingChange={select.setRenaming}
              onConversationChanged={list.applyConversation}
              onDeleteRequest={setToDelete}
              onMissing={onMissing}
            />
          ) : (
            <Welcome creating={creating} onNew={() => void createConversation()} />
          )}
        </div>
        {toDelete && (
          <ConfirmDialog
            title="Delete this conversation?"
            message={`“${toDelete.title}” and all its messages and drafts will be deleted from this computer. This cannot be undone.`}
            confirmLabel="Delete"
            danger
            testId="confirm-delete-dialog"
            onCancel={() => setToDelete(null)}
            onConfirm={() => void confirmDelete()}
          />
        )}
      </div>
    </ReviewProvider>
  )
}
