// The Electron main process: starts the core (the same one `npm run serve` runs), serves the console page,
// wires IPC to the core's API and opens the window. Everything else lives in the core; this stays thin.
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron'
import { loadSettings } from './core/config/settings'
import { startCore, type SupportConsoleCore } from './core/support-console'
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './app-protocol'
import { createIpcHandlers, registerIpcHandlers, type IpcHandlers } from './ipc-handlers'
import { electronNativeBinding } from './native-binding'
import { SafeStorageVault } from './safe-storage-vault'
import { hardenAllWebContents, hardenSession } from './security'
import { createSenderCheck, originOf } from './trusted-sender'
import { createMainWindow } from './window'

const PRELOAD = join(import.meta.dirname, '../preload/index.cjs')
/** The Gemini threads' entry, built beside this file by electron.vite.config.ts. */
const GEMINI_THREAD = new URL('./gemini-thread.js', import.meta.url)

/**
 * Opens a knowledge-base document in its default application. The core has already checked that the path is a file
 * inside the knowledge-base folder; shell.openPath reports failure as a message rather than by rejecting.
 */
async function openWithSystem(absolutePath: string): Promise<void> {
  const problem = await shell.openPath(absolutePath)
  if (problem) throw new Error(problem)
}
/** Where a bulk export goes: the agent picks the file; the core then streams into it (null: cancelled). */
async function chooseExportFile(suggestedName: string): Promise<string | null> {
  const [window] = BrowserWindow.getAllWindows()
  const options = { defaultPath: join(app.getPath('downloads'), suggestedName) }
  const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
  return choice.canceled || !choice.filePath ? null : choice.filePath
}
const RENDERER_DIR = join(import.meta.dirname, '../renderer')
/** How long quitting waits for running drafts to be saved before it gives up and exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000

// Set by `electron-vite dev` only; a packaged app always serves its own files.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const devServerOrigin = devServerUrl ? originOf(devServerUrl) : undefined
const appOrigins = devServerOrigin ? [APP_ORIGIN, devServerOrigin] : [APP_ORIGIN]

const appContents = new Set<number>()
let core: Promise<SupportConsoleCore> | undefined
let ipc: IpcHandlers | undefined
let quitting: 'no' | 'saving' | 'done' = 'no'

// Must happen before `ready`: a scheme registered later is not standard or secure.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])

function openWindow(): BrowserWindow {
  const window = createMainWindow({
    preload: PRELOAD,
    url: devServerUrl ?? APP_ENTRY_URL,
    devTools: !app.isPackaged,
    onPageReplaced: (id) => ipc?.releaseSender(id),
  })
  const id = window.webContents.id
  appContents.add(id)
  window.webContents.once('destroyed', () => appContents.delete(id))
  return window
}

async function start(): Promise<SupportConsoleCore> {
  const settings = loadSettings()
  const apiKeyVault = await SafeStorageVault.open({ dataDir: settings.dataDir, safeStorage })
  if (apiKeyVault.storage === 'plaintext') {
    console.warn('No OS keyring is available: an API key entered in Settings is stored unencrypted (readable by this user only).')
  }
  const nativeBinding = electronNativeBinding(app, { electronVersion: process.versions.electron, platform: process.platform, arch: process.arch })
  // The window talks to the core over IPC: a port another program holds leaves only the endpoint off (the console says so).
  const started = await startCore({
    settings,
    apiKeyVault,
    nativeBinding,
    endpoint: 'optional',
    openFile: openWithSystem,
    chooseExportFile,
    geminiThreadEntry: GEMINI_THREAD,
  })

  hardenSession(session.defaultSession, { appOrigins, devServerUrl })
  protocol.handle(APP_SCHEME, createAppRequestHandler(RENDERER_DIR))
  ipc = createIpcHandlers(started.api, {
    isTrustedSender: createSenderCheck({ origins: appOrigins, isAppContents: (id) => appContents.has(id) }),
  })
  registerIpcHandlers(ipcMain, ipc)
  openWindow()
  return started
}

function failToStart(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  console.error('Support Console cannot start:', error)
  dialog.showErrorBox('Support Console cannot start', message)
  quitting = 'done'
  app.exit(1)
}

async function saveAndClose(): Promise<void> {
  ipc?.dispose()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`Running drafts were not saved within ${SHUTDOWN_TIMEOUT_MS / 1000} s; quitting anyway.`)
      resolve()
    }, SHUTDOWN_TIMEOUT_MS)
  })
  try {
    await Promise.race([core?.then((c) => c.close()), timeout])
  } catch (error) {
    console.error('Could not stop cleanly:', error)
  } finally {
    clearTimeout(timer)
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Support Console owns the data folder; it focuses its window (second-instance below).
  app.quit()
} else {
  hardenAllWebContents()

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows()
    if (!window) {
      if (core)
        void core.then(
          () => openWindow(),
          () => undefined,
        )
      return
    }
    if (window.isMinimized()) window.restore()
    window.focus()
  })

  // Quitting stops running drafts and saves them as "stopped" before the process ends. The first
  // before-quit is held back (preventDefault) while the core closes; then app.quit() runs again and passes.
  app.on('before-quit', (event) => {
    if (quitting === 'done' || !core) return
    event.preventDefault()
    if (quitting === 'saving') return
    quitting = 'saving'
    void saveAndClose().finally(() => {
      quitting = 'done'
      app.quit()
    })
  })

  app.on('window-all-closed', () => {
    // macOS apps stay open without windows (the local endpoint keeps serving); elsewhere closing the window quits.
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core)
      void core.then(
        () => openWindow(),
        () => undefined,
      )
  })

  // Ctrl+C in the terminal that started the app, or a service manager stopping it: the same clean quit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())

  app
    .whenReady()
    .then(() => {
      core = start()
      return core
    })
    .catch(failToStart)
}
