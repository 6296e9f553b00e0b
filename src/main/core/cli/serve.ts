// `npm run serve`: the core without Electron. Prints where the local server listens, how to authenticate and,
// when the renderer is built, how to open the console in a browser (web mode): the link with the token only once.
import { join } from 'node:path'
import { loadSettings, SETTINGS_FILE, SettingsError, type Settings } from '../config/settings'
import { startCore } from '../support-console'
import { StoreOpenError } from '../store/errors'
import { DataDirLockedError } from '../config/data-dir-lock'
import { announceWebConsole, browserBase, builtWebConsole } from './web-console'

const settingsPath = (settings: Settings): string => join(settings.dataDir, SETTINGS_FILE)

async function main(): Promise<void> {
  const settings = loadSettings()
  const webConsoleDir = builtWebConsole()
  const core = await startCore({ settings, webConsoleDir })
  const { server, store } = core
  const view = await core.api.getSettings()

  console.log(`Support Console is serving on ${server.url}`)
  console.log(`  data folder:  ${settings.dataDir}`)
  console.log(`  model:        ${settings.model}${settings.baseUrl ? ` via ${settings.baseUrl}` : ''}`)
  if (!view.apiKey.present)
    console.log('  API key:      none — drafting answers with a "no API key" error until one is added in Settings or GEMINI_API_KEY is set')
  if (store.recoveredInterrupted > 0)
    console.log(`  recovered:    ${store.recoveredInterrupted} draft(s) cut off by an earlier crash, marked interrupted`)
  if (settings.exposed) console.warn(`  WARNING: bound to ${settings.host}, not loopback: other machines can reach this server.`)
  // The token is a secret: shown in full only the one time it is generated, as the README promises.
  if (settings.tokenGenerated) console.log(`  token:        ${settings.token} (generated now, saved in ${settingsPath(settings)})`)
  else
    console.log(
      `  token:        ${settings.token.slice(0, 4)}… (${process.env.SUPPORT_CONSOLE_TOKEN ? 'from SUPPORT_CONSOLE_TOKEN' : `"token" in ${settingsPath(settings)}`})`,
    )
  console.log('Authenticate with "Authorization: Bearer <token>", or ?token=<token> where headers cannot be set (EventSource). Try:')
  console.log(`  curl -N -H "Authorization: Bearer <token>" "${server.url}/chat/stream?message=Hello"`)
  if (webConsoleDir) {
    const { dataDir, host, token, tokenGenerated } = settings
    const tokenFromEnvironment = Boolean(process.env.SUPPORT_CONSOLE_TOKEN)
    for (const line of announceWebConsole({ dataDir, host, port: server.port, token, tokenGenerated, tokenFromEnvironment })) console.log(line)
  } else {
    console.log(`Web console: not built. Run \`npm run build\`, then start again to open it at ${browserBase(settings.host, server.port)}/`)
  }

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping running drafts and saving them…`)
    core.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Could not stop cleanly:', error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  // For `npm run soak` only (off unless SUPPORT_CONSOLE_MEMORY_REPORT=1): on SIGUSR2, collect garbage when node runs
  // with --expose-gc and print one `memory-report {json}` line, so the soak can tell the JS heap and the drafts kept
  // for resuming from the resident memory it measures from outside.
  if (process.env.SUPPORT_CONSOLE_MEMORY_REPORT === '1') {
    process.on('SIGUSR2', () => {
      globalThis.gc?.()
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage()
      const { retainedCount, retainedBytes, liveCount } = core.hub
      const report = { rss, heapUsed, heapTotal, external, arrayBuffers, liveDrafts: liveCount, retainedDrafts: retainedCount, retainedBytes }
      console.log(`memory-report ${JSON.stringify(report)}`)
    })
  }
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof StoreOpenError || error instanceof DataDirLockedError)
    console.error(`Support Console cannot start: ${error.message}`)
  else console.error('Support Console cannot start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
