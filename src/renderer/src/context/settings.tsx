// The console's settings as the API shows them (never the API key itself), loaded once and shared.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import type { SettingsUpdate, SettingsView } from '../../../shared/api'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'

interface SettingsContextValue {
  settings: SettingsView | null
  /** Why the settings could not be loaded (the console cannot reach its backend). */
  error: string | null
  reload(): void
  /** Saves and returns the new settings; rejects with the API's error. */
  save(update: SettingsUpdate): Promise<SettingsView>
}

const SettingsContext = createContext<SettingsContextValue | null>(null)

export function SettingsProvider({ children }: { children: ReactNode }) {
  const api = useApi()
  const [settings, setSettings] = useState<SettingsView | null>(null)
  const [error, setError] = useState<string | null>(null)

  const reload = useCallback(() => {
    setError(null)
    api.getSettings().then(setSettings, (e: unknown) => setError(describeError(e)))
  }, [api])

  useEffect(reload, [reload])

  const save = useCallback(
    async (update: SettingsUpdate) => {
      const next = await api.updateSettings(update)
      setSettings(next)
      return next
    },
    [api],
  )

  return <SettingsContext.Provider value={{ settings, error, reload, save }}>{children}</SettingsContext.Provider>
}

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext)
  if (!value) throw new Error('useSettings needs a <SettingsProvider> above it')
  return value
}
