// The dialogs any part of the console can open: Settings (from the sidebar, the API-key banner, a draft
// that needs a key or a model) and the keyboard shortcuts (from the sidebar, or `?` anywhere).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { SettingsDialog } from '../components/settings/SettingsDialog'
import { ShortcutsDialog } from '../components/ShortcutsDialog'
import { SnippetsDialog } from '../components/snippets/SnippetsDialog'
import { useGlobalShortcuts } from '../hooks/useGlobalShortcuts'
import { useSettings } from './settings'

interface DialogsValue {
  /** `focusApiKey` puts the cursor in the API key field (opened to add a key). */
  openSettings(focusApiKey?: boolean): void
  openHelp(): void
  /** The Snippets manager (canned replies). */
  openSnippets(): void
}

const DialogsContext = createContext<DialogsValue | null>(null)

export function DialogsProvider({ children }: { children: ReactNode }) {
  const { settings, save } = useSettings()
  const [settingsOpen, setSettingsOpen] = useState<false | 'plain' | 'api-key'>(false)
  const [helpOpen, setHelpOpen] = useState(false)
  const [snippetsOpen, setSnippetsOpen] = useState(false)
  const openSnippets = useCallback(() => setSnippetsOpen(true), [])
  const openSettings = useCallback((focusApiKey = false) => setSettingsOpen(focusApiKey ? 'api-key' : 'plain'), [])
  const openHelp = useCallback(() => setHelpOpen(true), [])
  const value = useMemo(() => ({ openSettings, openHelp, openSnippets }), [openSettings, openHelp, openSnippets])

  useGlobalShortcuts({ help: openHelp })

  return (
    <DialogsContext.Provider value={value}>
      {children}
      {settingsOpen && settings && (
        <SettingsDialog settings={settings} save={save} onClose={() => setSettingsOpen(false)} focusApiKey={settingsOpen === 'api-key'} />
      )}
      {helpOpen && <ShortcutsDialog onClose={() => setHelpOpen(false)} />}
      {snippetsOpen && <SnippetsDialog onClose={() => setSnippetsOpen(false)} />}
    </DialogsContext.Provider>
  )
}

export function useDialogs(): DialogsValue {
  const value = useContext(DialogsContext)
  if (!value) throw new Error('useDialogs needs a <DialogsProvider> above it')
  return value
}
