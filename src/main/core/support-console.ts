// The whole core, wired: settings → store → Gemini client → hub → drafting → API service → local server.
// The Electron shell and `npm run serve` both start it this way and stop it with close().
import type { SupportConsoleApi } from '../../shared/api'
import { ApiService } from './api/api-service'
import { FileApiKeyVault, type ApiKeyVault } from './config/api-key-vault'
import { lockDataDir, type DataDirLock } from './config/data-dir-lock'
import type { Settings } from './config/settings'
import { SettingsService } from './config/settings-service'
import { DraftingService } from './drafting/drafting-service'
import { GeminiClient } from './gemini/client'
import type { ReplyModel } from './gemini/types'
import { LocalServer, type LocalServerDeps } from './server/local-server'
import { TranscriptStore } from './store/transcript-store'
import { StreamHub } from './streaming/stream-hub'

export interface CoreOptions {
  settings: Settings
  /** Where an API key entered in Settings is kept. Default: a private file in the data folder. */
  apiKeyVault?: ApiKeyVault
  /** A better-sqlite3 addon built for this runtime (the desktop app passes its Electron-ABI build). */
  nativeBinding?: string
  /** The built renderer (`out/renderer`), served at `/` for web mode. Undefined in the desktop app. */
  webConsoleDir?: string
  /** Replaces the Gemini client (benchmarks of the relay alone). */
  model?: ReplyModel
  sse?: LocalServerDeps['sse']
}

export interface SupportConsoleCore {
  /** The live settings; a new object after each change from Settings, so read it again rather than keep it. */
  readonly settings: Settings
  settingsService: SettingsService
  store: TranscriptStore
  hub: StreamHub
  drafting: DraftingService
  /** The renderer-facing API: IPC handlers and the REST routes both call this. */
  api: SupportConsoleApi
  server: LocalServer
  /** Stops running drafts (saved as stopped, text kept), closes the server, then the database. */
  close(): Promise<void>
}

export const RETRY_POLICY = { maxRetries: 3, retryBaseDelayMs: 500, maxRetryDelayMs: 8_000 }

export async function startCore(options: CoreOptions): Promise<SupportConsoleCore> {
  const lock = lockDataDir(options.settings.dataDir)
  try {
    return await startWithLock(options, lock)
  } catch (error) {
    lock.release()
    throw error
  }
}

async function startWithLock(options: CoreOptions, lock: DataDirLock): Promise<SupportConsoleCore> {
  const { model, sse, nativeBinding, webConsoleDir } = options
  const settingsService = new SettingsService(options.settings, options.apiKeyVault ?? new FileApiKeyVault(options.settings.dataDir))
  // Everything below reads settings through a getter, so a change made in Settings applies at once.
  const live = (): Settings => settingsService.current
  const store = TranscriptStore.open(live().databaseFile, { nativeBinding })
  try {
    const hub = new StreamHub()
    const { baseUrl, idleTimeoutMs } = live()
    const gemini = model ?? new GeminiClient({ apiKey: () => settingsService.apiKey(), baseUrl, idleTimeoutMs, ...RETRY_POLICY })
    const drafting = new DraftingService(store, gemini, hub, live)
    // The API shows the server's address, known once it listens; nothing calls the API before startCore returns.
    const api = new ApiService({ store, drafting, hub, settings: settingsService, endpointUrl: () => server.url })
    const server = await LocalServer.start({ store, drafting, hub, api, settings: live, sse, webConsoleDir })
    let closing: Promise<void> | undefined
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await hub.stopAll('shutdown')
        await server.close()
        store.close()
        lock.release()
      })())
    return {
      get settings() {
        return settingsService.current
      },
      settingsService,
      store,
      hub,
      drafting,
      api,
      server,
      close,
    }
  } catch (error) {
    store.close()
    throw error
  }
}
