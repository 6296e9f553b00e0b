// Whether the console runs on a Mac (shortcuts use ⌘ rather than Ctrl there), decided once for the whole
// console, so whatever labels or matches a shortcut reads it here instead of receiving it from its parents.
import { createContext, useContext, useState, type ReactNode } from 'react'
import { isMacPlatform } from '../state/shortcuts'

function detectMac(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } }
  return isMacPlatform(nav.userAgentData?.platform ?? nav.platform ?? '')
}

const PlatformContext = createContext<boolean | null>(null)

export function PlatformProvider({ children }: { children: ReactNode }) {
  const [mac] = useState(detectMac)
  return <PlatformContext.Provider value={mac}>{children}</PlatformContext.Provider>
}

/** True on macOS: shortcuts use ⌘ rather than Ctrl. */
export function useIsMac(): boolean {
  const mac = useContext(PlatformContext)
  if (mac === null) throw new Error('useIsMac needs a <PlatformProvider> above it')
  return mac
}
