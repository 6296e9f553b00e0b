// The decisions behind the shell's security settings, as plain functions (no Electron import) so the
// tests can check them: which links leave the app, and which permission a page may have.
import { originOf } from './trusted-sender'

/** Links the app hands to the system browser: https only, so no file:, javascript:, custom schemes or plain http. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === ''
  } catch {
    return false
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
