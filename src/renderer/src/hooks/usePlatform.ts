import { isMacPlatform } from '../state/shortcuts'

/** Whether shortcuts use ⌘ (macOS) rather than Ctrl. */
export function isMac(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } }
  return isMacPlatform(nav.userAgentData?.platform ?? nav.platform ?? '')
}
