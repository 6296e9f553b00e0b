// The one SupportConsoleApi the console talks to, handed down through React context so components never
// know whether it is IPC (desktop) or HTTP (browser). What differs between the two is said once, as capabilities,
// by whoever created the API (main.tsx), so a component hides what its mode cannot do instead of offering it.
import { createContext, useContext, type ReactNode } from 'react'
import type { SupportConsoleApi } from '../../../shared/api'

/** What the console can do beyond the shared API, decided by how the API was created. */
export interface ApiCapabilities {
  /** Opening a knowledge-base document in its own application: the desktop app's, not a browser's. */
  openDocuments: boolean
}

/** The desktop app (the preload's API): it runs on the agent's computer and can open files there. */
export const DESKTOP_CAPABILITIES: ApiCapabilities = { openDocuments: true }
/** A browser (HTTP/SSE): the core would answer 'unavailable' to opening a file. */
export const WEB_CAPABILITIES: ApiCapabilities = { openDocuments: false }

interface ApiValue {
  api: SupportConsoleApi
  capabilities: ApiCapabilities
}

const ApiContext = createContext<ApiValue | null>(null)

export function ApiProvider({ api, capabilities, children }: { api: SupportConsoleApi; capabilities: ApiCapabilities; children: ReactNode }) {
  return <ApiContext.Provider value={{ api, capabilities }}>{children}</ApiContext.Provider>
}

function useApiValue(): ApiValue {
  const value = useContext(ApiContext)
  if (!value) throw new Error('useApi needs an <ApiProvider> above it')
  return value
}

export function useApi(): SupportConsoleApi {
  return useApiValue().api
}

export function useApiCapabilities(): ApiCapabilities {
  return useApiValue().capabilities
}
