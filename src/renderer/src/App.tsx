// The console's frame: conversation list (nav), the open conversation (main) with its reply draft (aside),
// the API-key banner, dialogs, and the app-wide keyboard shortcuts.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Conversation, ConversationHit } from '../../shared/domain'
import { useApi } from './api/api-context'
import { describeError } from './api/errors'
import { ApiKeyBanner } from './components/ApiKeyBanner'
import { ConfirmDialog } from './components/ConfirmDialog'
import { ConversationPane, type PaneCommands } from './components/ConversationPane'
import { Icon } from './components/Icon'
import { SettingsDialog } from './components/SettingsDialog'
import { ShortcutsDialog } from './components/ShortcutsDialog'
import { Sidebar } from './components/Sidebar'
import { StartupError } from './components/StartupError'
import type { FocusRequest } from './components/Transcript'
import { useConversationList } from './hooks/useConversationList'
import { useDebouncedValue } from './hooks/useDebouncedValue'
import { useGlobalShortcuts } from './hooks/useGlobalShortcuts'
import { NoticesProvider, useNotices } from './hooks/useNotices'
import { isMac } from './hooks/usePlatform'
import { SettingsProvider, useSettings } from './hooks/useSettings'
import { shortcutKeys } from './state/shortcuts'

const SEARCH_DEBOUNCE_MS = 250

export function App() {
  return (
    <NoticesProvider>
      <SettingsProvider>
        <Console />
      </SettingsProvider>
    </NoticesProvider>
  )
}

interface Selection {
  id: number
  focus: FocusRequest | null
}

function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

function Console() {
  const api = useApi()
  const { settings, error: settingsError, reload: reloadSettings, save: saveSettings } = useSettings()
  const { toast } = useNotices()
  const mac = useMemo(isMac, [])
  const now = useMinuteClock()

  const [query, setQuery] = useState('')
  const debouncedQuery = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS)
  const list = useConversationList(debouncedQuery)
  const [selection, setSelection] = useState<Selection | null>(null)
  const [renameRequest, setRenameRequest] = useState(0)
  const [creating, setCreating] = useState(false)
  const [settingsOpen, setSettingsOpen] = useState<false | 'plain' | 'api-key'>(false)
  const [helpOpen, setHelpOpen] = useState(false)
  const [toDelete, setToDelete] = useState<Conversation | null>(null)
  const searchInput = useRef<HTMLInputElement>(null)
  const pane = useRef<PaneCommands>(null)
  const nonce = useRef(0)

  // Conversations started by integrations meanwhile show up when the agent comes back to the window.
  const { refreshTop } = list
  useEffect(() => {
    window.addEventListener('focus', refreshTop)
    return () => window.removeEventListener('focus', refreshTop)
  }, [refreshTop])

  const open = useCallback((conversation: ConversationHit) => {
    const focus = conversation.hit ? { messageId: conversation.hit.messageId, nonce: ++nonce.current } : null
    setSelection({ id: conversation.id, focus })
  }, [])

  const createConversation = async (): Promise<void> => {
    setCreating(true)
    try {
      const conversation = await api.createConversation({})
      setQuery('')
      list.applyConversation(conversation)
      setSelection({ id: conversation.id, focus: null })
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
      setSelection((s) => (s?.id === conversation.id ? null : s))
      toast(`Deleted “${conversation.title}”`, 'success')
    } catch (error) {
      toast(describeError(error), 'error')
    }
  }

  const { remove } = list
  const onMissing = useCallback(
    (id: number) => {
      remove(id)
      setSelection((s) => (s?.id === id ? null : s))
      toast('That conversation was deleted.', 'info')
    },
    [remove, toast],
  )

  useGlobalShortcuts({
    search: () => {
      searchInput.current?.focus()
      searchInput.current?.select()
    },
    help: () => setHelpOpen(true),
    draft: () => pane.current?.draft() ?? false,
    stop: () => pane.current?.stop() ?? false,
  })

  if (settingsError && !settings) return <StartupError message={settingsError} onRetry={reloadSettings} />

  return (
    <div className="app">
      <Sidebar
        ref={searchInput}
        query={query}
        onQueryChange={setQuery}
        searchShortcut={shortcutKeys('search', mac)}
        list={list.state}
        searching={query.trim() !== debouncedQuery || (list.state.loading && debouncedQuery !== '')}
        selectedId={selection?.id ?? null}
        now={now}
        creating={creating}
        onNew={() => void createConversation()}
        onOpen={open}
        onLoadMore={list.loadMore}
        onRetry={list.retry}
        onRename={(conversation) => {
          setSelection((s) => (s?.id === conversation.id ? s : { id: conversation.id, focus: null }))
          setRenameRequest((n) => n + 1)
        }}
        onDelete={setToDelete}
        onOpenSettings={() => setSettingsOpen('plain')}
        onOpenHelp={() => setHelpOpen(true)}
      />
      <div className="workspace">
        {settings && !settings.apiKey.present && <ApiKeyBanner onOpenSettings={() => setSettingsOpen('api-key')} />}
        {selection ? (
          <ConversationPane
            key={selection.id}
            conversationId={selection.id}
            focus={selection.focus}
            renameRequest={renameRequest}
            hasApiKey={settings?.apiKey.present ?? true}
            mac={mac}
            now={now}
            commands={pane}
            onConversationChanged={list.applyConversation}
            onDeleteRequest={setToDelete}
            onMissing={onMissing}
            onOpenSettings={() => setSettingsOpen('plain')}
          />
        ) : (
          <main className="welcome" data-testid="welcome">
            <div className="welcome-card">
              <Icon name="message" size={32} />
              <h1>Pick a conversation</h1>
              <p className="muted">Choose one on the left, or start a new one and paste what the customer wrote. Gemini drafts the reply; you edit and use it.</p>
              <button type="button" className="button button-primary" onClick={() => void createConversation()} disabled={creating}>
                <Icon name="plus" />
                New conversation
              </button>
              <p className="muted small">
                Press <kbd>?</kbd> for keyboard shortcuts.
              </p>
            </div>
          </main>
        )}
      </div>

      {settingsOpen && settings && (
        <SettingsDialog settings={settings} save={saveSettings} onClose={() => setSettingsOpen(false)} focusApiKey={settingsOpen === 'api-key'} />
      )}
      {helpOpen && <ShortcutsDialog mac={mac} onClose={() => setHelpOpen(false)} />}
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
