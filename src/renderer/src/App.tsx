// The console and what its parts share: notices, settings, the platform (Ctrl or ⌘), the clock for relative
// times, the agent's unsent reply edits, and the dialogs any part can open. Without its settings the console
// cannot reach its backend, and says so instead.
import { ClockProvider } from './context/clock'
import { DialogsProvider } from './context/dialogs'
import { DraftEditsProvider } from './context/draft-edits'
import { NoticesProvider } from './context/notices'
import { PlatformProvider } from './context/platform'
import { SettingsProvider, useSettings } from './context/settings'
import { Console } from './components/Console'
import { StartupError } from './components/StartupError'

export function App() {
  return (
    <NoticesProvider>
      <SettingsProvider>
        <PlatformProvider>
          <ClockProvider>
            <DraftEditsProvider>
              <ConsoleOrStartupError />
            </DraftEditsProvider>
          </ClockProvider>
        </PlatformProvider>
      </SettingsProvider>
    </NoticesProvider>
  )
}

function ConsoleOrStartupError() {
  const { settings, error, reload } = useSettings()
  if (error && !settings) return <StartupError message={error} onRetry={reload} />
  return (
    <DialogsProvider>
      <Console />
    </DialogsProvider>
  )
}
