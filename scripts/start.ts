// `npm start`: the desktop app where it can run, otherwise the same console in the browser (web mode),
// saying why. The desktop app needs Electron's binary (downloaded on first use, so it is tried here, for
// at most a minute), a display, and better-sqlite3 built for Electron (scripts/electron-native.ts).
//   npm start              desktop if possible, else web mode
//   npm start -- --web     web mode (also SUPPORT_CONSOLE_WEB=1)
// Other arguments after `--` go to Electron.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { buildIfStale, displayProblem } from './app-build'
import { findElectronBinary, type ElectronBinary } from './electron-binary'
import { ensureElectronNative, PROJECT_ROOT } from './electron-native'

const INSTALL_TIMEOUT_MS = 60_000
const root = PROJECT_ROOT
const args = process.argv.slice(2)
const webRequested = args.includes('--web')
const electronArgs = args.filter((arg) => arg !== '--web')

/** Electron downloads its binary on first use; try that once, bounded, and report how it went. */
function tryInstallElectron(binary: ElectronBinary): { ok: true } | { ok: false; reason: string } {
  if (!binary.packageDir) return { ok: false, reason: 'the electron package is not installed' }
  console.log(`Downloading Electron ${binary.version ?? ''} (at most ${INSTALL_TIMEOUT_MS / 1000} s)…`)
  const result = spawnSync(process.execPath, [join(binary.packageDir, 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.status === 0) return { ok: true }
  if (result.error && 'code' in result.error && result.error.code === 'ETIMEDOUT')
    return { ok: false, reason: `the download did not finish within ${INSTALL_TIMEOUT_MS / 1000} s` }
  const firstError = `${result.stderr ?? ''}${result.stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /error/i.test(line))
  // @electron/get fetches from GitHub unless ELECTRON_MIRROR names another host.
  const host = process.env.ELECTRON_MIRROR ? 'ELECTRON_MIRROR' : 'github.com'
  return { ok: false, reason: `the download failed${firstError ? ` (${firstError})` : ''}; is ${host} reachable?` }
}

function launchElectron(executable: string): void {
  const env = { ...process.env }
  // Set in the environment, it would make Electron run as plain Node instead of opening the app.
  delete env.ELECTRON_RUN_AS_NODE
  const child = spawn(executable, ['.', ...electronArgs], { cwd: root, env, stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    })
  }
  child.on('error', (error) => {
    console.error(`Electron could not start: ${error.message}`)
    process.exit(1)
  })
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

async function startWebMode(reasons: string[]): Promise<void> {
  for (const reason of reasons) console.log(reason)
  console.log('Starting the console in web mode: the "Web console" lines below say how to open it in your browser.')
  buildIfStale(root, 'web')
  // The headless core (`npm run serve`) in this process; it says how to open the web console.
  await import('../src/main/core/cli/serve')
}

async function main(): Promise<void> {
  if (webRequested || process.env.SUPPORT_CONSOLE_WEB === '1') {
    return startWebMode([webRequested ? 'Web mode requested (--web).' : 'Web mode requested (SUPPORT_CONSOLE_WEB=1).'])
  }
  const noDisplay = displayProblem()
  let binary = findElectronBinary(root)
  let installNote = ''
  // Downloading is pointless without a display to show the window on.
  if (!binary.installed && !noDisplay) {
    const installed = tryInstallElectron(binary)
    binary = findElectronBinary(root)
    if (!installed.ok) installNote = `; ${installed.reason}`
  }
  const reasons: string[] = []
  if (!binary.installed) reasons.push(`Electron binary not installed: ${binary.reason}${installNote}.`)
  if (noDisplay) reasons.push(`Cannot open a window: ${noDisplay}.`)
  if (binary.installed && !noDisplay) {
    const native = await ensureElectronNative({ root, binary })
    if (native.status === 'ready' || native.status === 'built') {
      buildIfStale(root, 'desktop')
      return launchElectron(binary.path)
    }
    reasons.push(`${native.message}.`)
  }
  return startWebMode(reasons)
}

main().catch((error: unknown) => {
  console.error('npm start failed:', error instanceof Error ? error.message : error)
  process.exit(1)
})
