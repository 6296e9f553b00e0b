// `npm run serve`: the core without Electron. Prints where the local server listens and how to authenticate.
import { join } from 'node:path'
import { loadSettings, SETTINGS_FILE, SettingsError, type Settings } from '../config/settings'
import { startCore } from '../support-console'
import { StoreOpenError } from '../store/errors'
import { DataDirLockedError } from '../config/data-dir-lock'

const settingsPath = (settings: Settings): string => join(settings.dataDir, SETTINGS_FILE)

async function main(): Promise<void> {
  const settings = loadSettings()
  const core = await startCore({ settings })
  const { server, store } = core

  console.log(`Support Console is serving on ${server.url}`)
  console.log(`  data folder:  ${settings.dataDir}`)
  console.log(`  model:        ${settings.model}${settings.baseUrl ? ` via ${settings.baseUrl}` : ''}`)
  if (!settings.apiKey) console.log('  API key:      none — drafting answers with a "no API key" error until GEMINI_API_KEY is set')
  if (store.recoveredInterrupted > 0) console.log(`  recovered:    ${store.recoveredInterrupted} draft(s) cut off by an earlier crash, marked interrupted`)
  if (settings.exposed) console.warn(`  WARNING: bound to ${settings.host}, not loopback: other machines can reach this server.`)
  // The token is a secret: shown in full only the one time it is generated, as the README promises.
  if (settings.tokenGenerated) console.log(`  token:        ${settings.token} (generated now, saved in ${settingsPath(settings)})`)
  else console.log(`  token:        ${settings.token.slice(0, 4)}… (${process.env.SUPPORT_CONSOLE_TOKEN ? 'from SUPPORT_CONSOLE_TOKEN' : `"token" in ${settingsPath(settings)}`})`)
  console.log('Authenticate with "Authorization: Bearer <token>", or ?token=<token> where headers cannot be set (EventSource). Try:')
  console.log(`  curl -N -H "Authorization: Bearer <token>" "${server.url}/chat/stream?message=Hello"`)

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
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof StoreOpenError || error instanceof DataDirLockedError) console.error(`Support Console cannot start: ${error.message}`)
  else console.error('Support Console cannot start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
