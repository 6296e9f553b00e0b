// The one SupportConsoleApi the console talks to, handed down through React context so components never
// know whether it is IPC (desktop) or HTTP (browser).
import { createContext, useContext, type ReactNode } from 'react'
import type { SupportConsoleApi } from '../../../shared/api'

const ApiContext = createContext<SupportConsoleApi | null>(null)

export function ApiProvider({ api, children }: { api: SupportConsoleApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
}

export function useApi(): SupportConsoleApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi needs an <ApiProvider> above it')
  return api
}
