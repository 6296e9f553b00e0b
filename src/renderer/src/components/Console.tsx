// The console's frame: conversation list (nav), the open conversation (main) with its reply draft (aside),
// the API-key and endpoint banners, and the confirmation before a conversation is deleted.
import { useCallback, useState } from 'react'
import type { Conversation } from '../../../shared/domain'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'
import { useSettings } from '../context/settings'
import { useConversationSearch } from '../hooks/useConversationSearch'
import { useSelection } from '../hooks/useSelection'
import { ApiKeyBanner } from './ApiKeyBanner'
import { ConfirmDialog } from './ConfirmDialog'
import { EndpointBanner } from './EndpointBanner'
import { ConversationPane } from './conversation/ConversationPane'
import { Sidebar } from './sidebar/Sidebar'
import { Welcome } from './Welcome'

export function Console() {
  const api = useApi()
  const { settings } = useSettings()
  const { toast } = useNotices()
  const search = useConversationSearch()
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

  return (
    <div className="app">
      <Sidebar
        search={search}
        selectedId={selection?.id ?? null}
        creating={creating}
        onNew={() => void createConversation()}
        onOpen={select.open}
        onRename={select.rename}
        onDelete={setToDelete}
      />
      <div className="workspace">
        {settings && !settings.apiKey.present && <ApiKeyBanner />}
        {settings && <EndpointBanner endpoint={settings.endpoint} />}
        {selection ? (
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
  )
}
