// The whole core, wired: settings → store → Gemini client → hub → drafting → local server.
// The Electron shell and `npm run serve` both start it this way and stop it with close().
import { lockDataDir, type DataDirLock } from './config/data-dir-lock'
import type { Settings } from './config/settings'
import { DraftingService } from './drafting/drafting-service'
import { GeminiClient } from './gemini/client'
import type { ReplyModel } from './gemini/types'
import { LocalServer, type LocalServerDeps } from './server/local-server'
import { TranscriptStore } from './store/transcript-store'
import { StreamHub } from './streaming/stream-hub'

export interface CoreOptions {
  settings: Settings
  /** Replaces the Gemini client (benchmarks of the relay alone). */
  model?: ReplyModel
  sse?: LocalServerDeps['sse']
}

export interface SupportConsoleCore {
  settings: Settings
  store: TranscriptStore
  hub: StreamHub
  drafting: DraftingService
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

async function startWithLock({ settings, model, sse }: CoreOptions, lock: DataDirLock): Promise<SupportConsoleCore> {
  const store = TranscriptStore.open(settings.databaseFile)
  try {
    const hub = new StreamHub()
    const gemini =
      model ??
      new GeminiClient({ apiKey: () => settings.apiKey, baseUrl: settings.baseUrl, idleTimeoutMs: settings.idleTimeoutMs, ...RETRY_POLICY })
    const drafting = new DraftingService(store, gemini, hub, () => settings)
    const server = await LocalServer.start({ store, drafting, hub, settings: () => settings, sse })
    let closing: Promise<void> | undefined
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await hub.stopAll('shutdown')
        await server.close()
        store.close()
        lock.release()
      })())
    return { settings, store, hub, drafting, server, close }
  } catch (error) {
    store.close()
    throw error
  }
}
