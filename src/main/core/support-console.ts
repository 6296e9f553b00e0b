// The whole core, wired: settings → store → Gemini client (on its threads) → hub → drafting → API service → local server.
// The Electron shell and `npm run serve` both start it this way and stop it with close().
import type { SupportConsoleApi } from '../../shared/api'
import { ApiService } from './api/api-service'
import { FileApiKeyVault, type ApiKeyVault } from './config/api-key-vault'
import { IntegrationKeys, openIntegrationKeys } from './config/integration-keys'
import { lockDataDir, type DataDirLock } from './config/data-dir-lock'
import type { Settings } from './config/settings'
import { SettingsService } from './config/settings-service'
import { DraftingService } from './drafting/drafting-service'
import { GeminiClient } from './gemini/client'
import { GeminiThreads } from './gemini/gemini-threads'
import { LiveKnowledgeBase } from './knowledge/live-knowledge-base'
import type { ReplyModel } from './gemini/types'
import { LocalEndpoint, type EndpointMode } from './server/local-endpoint'
import type { LocalServer, LocalServerDeps } from './server/local-server'
import { applyPendingRestore, Backups } from './store/backups'
import { TranscriptStore } from './store/transcript-store'
import { join } from 'node:path'
import { StreamHub, type StreamHubOptions } from './streaming/stream-hub'
import { TURN_BUDGET_MS, TurnBudget } from './streaming/turn-budget'

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
  /** The Gemini threads' entry module, for a bundle (the desktop app); by default gemini-thread.ts from source. */
  geminiThreadEntry?: URL
  sse?: LocalServerDeps['sse']
  /**
   * 'required' (default; `npm run serve`, where the server is the console): a port that cannot be used stops
   * start-up. 'optional' (the desktop app, whose window uses IPC): the core starts without the endpoint and
   * Settings shows why and can move it to another port.
   */
  endpoint?: EndpointMode
  limits?: LocalServerDeps['limits']
  /** How long and how many finished drafts stay replayable for clients that reconnect. */
  streams?: Partial<StreamHubOptions>
  /**
   * Opens a file with the system's default application (the desktop app passes Electron's shell.openPath). Without
   * it (web mode, `npm run serve`) the console cannot open knowledge-base documents, only show their passages.
   */
  openFile?: (absolutePath: string) => Promise<void>
  /** Knowledge-base folder watcher timings (tests shorten them). */
  knowledgeWatcher?: { debounceMs?: number; stableMs?: number }
  /** Asks where to save a bulk export (the desktop app passes Electron's save dialog); without it, exports are downloads. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>
  /** Whether scheduled backups run (default true; tests that do not test them turn them off). */
  scheduledBackups?: boolean
}

export interface SupportConsoleCore {
  /** The live settings; a new object after each change from Settings, so read it again rather than keep it. */
  readonly settings: Settings
  settingsService: SettingsService
  store: TranscriptStore
  hub: StreamHub
  drafting: DraftingService
  /** The knowledge base drafts are grounded in (its `current` is undefined while no folder is set). */
  knowledge: LiveKnowledgeBase
  /** The renderer-facing API: IPC handlers and the REST routes both call this. */
  api: SupportConsoleApi
  /** The endpoint's server, whichever port it is on now; reading it while the endpoint is off throws. */
  readonly server: LocalServer
  /** The local endpoint: its state, and the server it runs (none while it is off, in 'optional' mode only). */
  endpoint: LocalEndpoint
  /** The database's backups (<data>/backups): on demand, on a schedule, and the restore applied at the next start. */
  backups: Backups
  /** Refuses new drafts, stops running drafts (saved as stopped, text kept), closes the server, then the database. */
  close(): Promise<void>
}

/** Where backups are kept, in the data folder. */
export const BACKUPS_DIR = 'backups'

/** The knowledge base's index, in the data folder. */
export const KNOWLEDGE_FILE = 'knowledge.db'

export const RETRY_POLICY = { maxRetries: 3, retryBaseDelayMs: 500, maxRetryDelayMs: 8_000 }

export async function startCore(options: CoreOptions): Promise<SupportConsoleCore> {
  const lock = lockDataDir(options.settings.dataDir, { nativeBinding: options.nativeBinding })
  try {
    return await startWithLock(options, lock)
  } catch (error) {
    lock.release()
    throw error
  }
}

async function startWithLock(options: CoreOptions, lock: DataDirLock): Promise<SupportConsoleCore> {
  const { model, sse, nativeBinding, webConsoleDir } = options
  const endpointMode = options.endpoint ?? 'required'
  const vault = options.apiKeyVault ?? new FileApiKeyVault(options.settings.dataDir)
  // Where the server is required it is what the console (or its caller) talks through: moving it would cut it off.
  const settingsService = new SettingsService(options.settings, vault, { portServesConsole: endpointMode === 'required' })
  // Everything below reads settings through a getter, so a change made in Settings applies at once.
  const live = (): Settings => settingsService.current
  // A restore confirmed in the last session is applied before the database opens (store/backups.ts says why).
  const backupsDir = join(live().dataDir, BACKUPS_DIR)
  const restored = applyPendingRestore(live().databaseFile, backupsDir)
  if (restored) console.error(`[backups] restored ${restored.restored}; the database it replaced is kept as ${restored.keptAs}`)
  const store = TranscriptStore.open(live().databaseFile, { nativeBinding })
  const backups = new Backups({ dir: backupsDir, source: store, nativeBinding })
  // Its own file beside the transcripts: derived data, rebuilt from the folder rather than migrated.
  const knowledge = new LiveKnowledgeBase({ databaseFile: join(live().dataDir, KNOWLEDGE_FILE), nativeBinding, watcher: options.knowledgeWatcher })
  let threads: GeminiThreads | undefined
  try {
    const hub = new StreamHub(options.streams)
    const { baseUrl, idleTimeoutMs, geminiThreads } = live()
    const client = { apiKey: () => settingsService.apiKey(), baseUrl, idleTimeoutMs, ...RETRY_POLICY }
    // Threads start with the first draft: a core that never drafts (most tests, a review session) starts none.
    if (!model && geminiThreads > 0) {
      // Their events are relayed in turns of the event loop, like requests (streaming/turn-budget.ts says why).
      const events = new TurnBudget(TURN_BUDGET_MS, 'gemini')
      threads = new GeminiThreads({ client, threads: geminiThreads, entry: options.geminiThreadEntry, schedule: (task) => events.run(task) })
    }
    const gemini = model ?? threads ?? new GeminiClient(client)
    await knowledge.switchTo(live().knowledgeBaseDir)
    const drafting = new DraftingService(store, gemini, hub, live, () => knowledge.current)
    // The API shows the endpoint's state and moves it to a new port; nothing calls the API before startCore returns.
    // A keys file this version refuses is logged and left alone; the console starts without integration keys.
    const integrationKeys = openIntegrationKeys(live().dataDir)
    const api = new ApiService({
      store,
      drafting,
      hub,
      settings: settingsService,
      endpoint: { state: () => endpoint.state(), reopen: () => endpoint.reopen() },
      integrationKeys,
      knowledge,
      openFile: options.openFile,
      chooseExportFile: options.chooseExportFile,
      backups,
    })
    if (options.scheduledBackups ?? true) backups.startSchedule()
    // The server reaches the core only through the API, as the renderer does.
    const endpoint = await LocalEndpoint.start({ api, settings: live, sse, limits: options.limits, webConsoleDir }, endpointMode)
    let closing: Promise<void> | undefined
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        // First, so no draft starts between stopping the running ones and closing the server and database.
        drafting.refuseNewDrafts()
        await hub.stopAll('shutdown')
        await endpoint.close()
        await threads?.close()
        await closeKnowledge(knowledge)
        backups.stopSchedule()
        await Promise.all([backups.settle(), api.closeExports()])
        if (integrationKeys instanceof IntegrationKeys) integrationKeys.flushLastUsed()
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
      knowledge,
      api,
      get server() {
        const { current } = endpoint
        if (!current) throw new Error(`The local endpoint is off: ${endpoint.state().problem ?? 'it is not listening'}`)
        return current
      },
      endpoint,
      backups,
      close,
    }
  } catch (error) {
    await threads?.close()
    await closeKnowledge(knowledge)
    store.close()
    throw error
  }
}

// The index is derived data: a failure to close it (a watcher that will not stop) must not keep the transcripts open.
async function closeKnowledge(knowledge: LiveKnowledgeBase): Promise<void> {
  try {
    await knowledge.close()
  } catch (error) {
    console.error(`[knowledge] closing the knowledge base failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
