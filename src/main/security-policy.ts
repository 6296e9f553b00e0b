// The decisions behind the shell's security settings, as plain functions (no Electron import) so the
// tests can check them: which links leave the app, and which permission a page may have.
import { originOf } from './trusted-sender'

/**
 * What happens to a link clicked in the console (a draft's links come from a model that read customer text):
 * `open` hands it to the system (https to the browser, mailto to the mail program), `confirm` asks the agent
 * first (plain http works but is not encrypted), `refuse` drops it. Refused: file:, javascript:, data:, our own
 * app:, custom schemes that would start other programs, and any URL carrying a user name or password (a way to
 * disguise where a link goes: https://bank.example@evil.example/).
 */
export type ExternalLinkAction = 'open' | 'confirm' | 'refuse'

export function externalLinkAction(url: string): ExternalLinkAction {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'refuse'
  }
  if (parsed.username !== '' || parsed.password !== '') return 'refuse'
  switch (parsed.protocol) {
    case 'https:':
      return parsed.hostname !== '' ? 'open' : 'refuse'
    case 'http:':
      return parsed.hostname !== '' ? 'confirm' : 'refuse'
    case 'mailto:':
      // A recipient, or at least headers (mailto:?to=...): an empty mailto: has nothing to open.
      return parsed.pathname !== '' || parsed.search !== '' ? 'open' : 'refuse'
    default:
      return 'refuse'
  }
}

/** The question asked before an http link opens; the shape of Electron's MessageBoxOptions, without importing it. */
export function httpLinkConfirmation(url: string): {
  type: 'question'
  title: string
  message: string
  detail: string
  buttons: string[]
  defaultId: number
  cancelId: number
} {
  return {
    type: 'question',
    title: 'Open link',
    message: 'Open this link in your browser?',
    detail: `${url}\n\nIt uses http://, so the page is not encrypted: anyone on the network can read or change it.`,
    buttons: ['Open', 'Cancel'],
    // Enter or Escape without reading: nothing opens.
    defaultId: 1,
    cancelId: 1,
  }
}

/**
 * Permissions a page may use. The console needs one: writing to the clipboard for its Copy buttons
 * (Chromium asks for it as 'clipboard-sanitized-write'), and only our own pages get it. Everything else
 * (camera, microphone, geolocation, notifications, reading the clipboard, opening external protocols, ...)
 * is refused.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, appOrigins: readonly string[]): boolean {
  if (permission !== 'clipboard-sanitized-write') return false
  const origin = originOf(requestingUrl)
  return origin !== undefined && appOrigins.includes(origin)
}
