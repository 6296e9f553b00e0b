// The console window. Every webPreferences entry that matters for security is spelled out, even where it
// is Electron's default, so a reader (and a future Electron default) cannot change it silently.
import { BrowserWindow, nativeTheme } from 'electron'

export interface MainWindowOptions {
  preload: string
  /** app://console/index.html, or the Vite dev server's URL in development. */
  url: string
  devTools: boolean
  /** The page is about to be replaced (reload): its IPC subscriptions are void. */
  onPageReplaced(webContentsId: number): void
}

export function createMainWindow({ preload, url, devTools, onPageReplaced }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Support Console',
    show: false,
    // Matches the console's theme, so the window does not flash white before the page paints.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools,
    },
  })
  const id = window.webContents.id
  window.once('ready-to-show', () => window.show())
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) onPageReplaced(id)
  })
  window.loadURL(url).catch((error: unknown) => console.error(`Could not load the console page ${url}:`, error))
  return window
}
