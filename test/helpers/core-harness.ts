// Starts the real core (SQLite file, local HTTP server, Gemini client) against the Gemini emulator,
// in a fresh data folder. Everything is real but Google's service.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiKeyVault } from '../../src/main/core/config/api-key-vault'
import { loadSettings, type SettingsFile } from '../../src/main/core/config/settings'
import type { ServerLimits } from '../../src/main/core/server/local-server'
import type { SseOptions } from '../../src/main/core/server/sse-connection'
import type { StreamHubOptions } from '../../src/main/core/streaming/stream-hub'
import { startCore, type CoreOptions, type SupportConsoleCore } from '../../src/main/core/support-console'
import { GeminiEmulator } from '../emulator/gemini-emulator'
import { afterEach } from 'vitest'

export const TEST_TOKEN = 'test-token-0123456789abcdef'
export const TEST_API_KEY = 'test-key'

export interface Harness {
  core: SupportConsoleCore
  emulator: GeminiEmulator
  dataDir: string
  url: string
  /** `url + path`, with the token in the query string. */
  authed(path: string): string
  headers: Record<string, string>
  restart(): Promise<SupportConsoleCore>
  close(): Promise<void>
}

export interface HarnessOptions {
  settings?: SettingsFile
  env?: Record<string, string>
  sse?: Partial<SseOptions>
  /** The server's timeouts and connection limit, small in tests that check them. */
  limits?: Partial<ServerLimits>
  /** How long and how many finished drafts the hub keeps replayable. */
  streams?: Partial<StreamHubOptions>
  emulator?: GeminiEmulator
  dataDir?: string
  /** Default: the core's own (a file in the data folder). */
  apiKeyVault?: ApiKeyVault
  /** A built web console to serve at `/`. */
  webConsoleDir?: string
  /** The desktop app's "open a file" capability (knowledge-base documents); absent as in web mode. */
  openFile?: CoreOptions['openFile']
  /** Knowledge-base folder watcher timings. */
  knowledgeWatcher?: CoreOptions['knowledgeWatcher']
  /** The desktop app's save dialog for bulk exports; absent as in web mode. */
  chooseExportFile?: CoreOptions['chooseExportFile']
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = options.emulator ?? (await GeminiEmulator.start({ apiKey: TEST_API_KEY }))
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sc-core-'))
  if (options.settings) writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(options.settings))
  const env = {
    SUPPORT_CONSOLE_DATA_DIR: dataDir,
    GEMINI_API_KEY: TEST_API_KEY,
    GEMINI_BASE_URL: emulator.url,
    SUPPORT_CONSOLE_PORT: '0',
    SUPPORT_CONSOLE_TOKEN: TEST_TOKEN,
    ...options.env,
  }
  const boot = (): Promise<SupportConsoleCore> =>
    startCore({
      settings: loadSettings(env),
      sse: options.sse,
      limits: options.limits,
      streams: options.streams,
      apiKeyVault: options.apiKeyVault,
      webConsoleDir: options.webConsoleDir,
      openFile: options.openFile,
      knowledgeWatcher: options.knowledgeWatcher,
      chooseExportFile: options.chooseExportFile,
    })
  let core = await boot()
  let closing: Promise<void> | undefined
  const harness: Harness = {
    get core() {
      return core
    },
    emulator,
    dataDir,
    get url() {
      return core.server.url
    },
    authed: (path) => `${core.server.url}${path}${path.includes('?') ? '&' : '?'}token=${TEST_TOKEN}`,
    headers: { Authorization: `Bearer ${TEST_TOKEN}` },
    async restart() {
      await core.close()
      core = await boot()
      return core
    },
    // Safe to call twice: a test may close early (to check what happens when the server is gone).
    close() {
      closing ??= (async () => {
        await core.close()
        if (!options.emulator) await emulator.close()
      })()
      return closing
    },
  }
  return harness
}

/** For a test file: returns `start`, whose harnesses are closed after each test. */
export function harnessPerTest(): (options?: HarnessOptions) => Promise<Harness> {
  const open: Harness[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()))
  })
  return async (options) => {
    const harness = await startHarness(options)
    open.push(harness)
    return harness
  }
}
