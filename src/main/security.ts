// Electron-side security settings that apply to every page and every webContents the app ever has:
// permissions, navigation, new windows, <webview>, and the CSP header for the development server.
// The decisions themselves live in security-policy.ts and content-security-policy.ts.
import { app, BrowserWindow, dialog, shell, type Session, type WebContents } from 'electron'
import { devServerCsp } from './content-security-policy'
import { externalLinkAction, httpLinkConfirmation, isPermissionAllowed } from './security-policy'

// Windows with an http confirmation showing: a page that fires links in a loop gets one question, not a pile.
const asking = new WeakSet<WebContents>()

function handOver(url: string): void {
  shell.openExternal(url).catch((error: unknown) => console.warn(`Could not open ${url}:`, error))
}

/** https and mailto go to the system at once, http after the agent confirms, anything else nowhere. */
function openExternally(contents: WebContents, url: string): void {
  const action = externalLinkAction(url)
  if (action === 'open') return handOver(url)
  if (action !== 'confirm' || asking.has(contents)) return
  asking.add(contents)
  const window = BrowserWindow.fromWebContents(contents)
  const options = httpLinkConfirmation(url)
  const answer = window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options)
  answer
    .then(({ response }) => {
      if (response === 0) handOver(url)
    })
    .catch((error: unknown) => console.warn(`Could not ask about ${url}:`, error))
    .finally(() => asking.delete(contents))
}

export interface SessionSecurityOptions {
  /** Origins of our own pages. */
  appOrigins: readonly string[]
  /** The Vite dev server (`electron-vite dev` only), whose pages get the CSP as a response header. */
  devServerUrl?: string
}

export function hardenSession(session: Session, { appOrigins, devServerUrl }: SessionSecurityOptions): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, appOrigins)),
  )
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, appOrigins))
  // USB, HID, serial and Bluetooth devices: never.
  session.setDevicePermissionHandler(() => false)

  if (devServerUrl) {
    const csp = devServerCsp(devServerUrl)
    const { origin } = new URL(devServerUrl)
    session.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
    })
  }
}

/**
 * For every webContents, including ones we did not create on purpose: no navigation away from the
 * console (a link opens in the system browser or mail program instead, see openExternally), no new windows,
 * no <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault()
    openExternally(contents, event.url)
  })
  contents.on('will-frame-navigate', (event) => {
    // will-navigate above covers the main frame; a subframe never navigates anywhere.
    if (!event.isMainFrame) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(contents, url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Applies hardenWebContents to every webContents the app creates from now on. Call before the first window. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
}
