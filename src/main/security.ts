// Electron-side security settings that apply to every page and every webContents the app ever has:
// permissions, navigation, new windows, <webview>, and the CSP header for the development server.
// The decisions themselves live in security-policy.ts and content-security-policy.ts.
import { app, shell, type Session, type WebContents } from 'electron'
import { devServerCsp } from './content-security-policy'
import { isPermissionAllowed, isSafeExternalUrl } from './security-policy'

function openExternally(url: string): void {
  if (!isSafeExternalUrl(url)) return
  shell.openExternal(url).catch((error: unknown) => console.warn(`Could not open ${url} in the browser:`, error))
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
 * console (an https link opens in the system browser instead), no new windows, no <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault()
    openExternally(event.url)
  })
  contents.on('will-frame-navigate', (event) => {
    // will-navigate above covers the main frame; a subframe never navigates anywhere.
    if (!event.isMainFrame) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Applies hardenWebContents to every webContents the app creates from now on. Call before the first window. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
}
