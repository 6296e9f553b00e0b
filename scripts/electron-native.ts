// Builds better-sqlite3 a second time, for Electron's ABI, beside the Node build npm made (see
// src/main/native-binding-location.ts for why and where). Run by postinstall (through
// scripts/postinstall.mjs), by `npm start` before it launches the desktop app, and as `npm run native:electron`.
//   1. Nothing to do when the folder already holds the addon for this Electron and better-sqlite3.
//   2. Skipped when Electron's binary is not installed: the desktop app cannot run anyway, and we stay offline.
//   3. Otherwise, in a scratch copy of the package (so the Node build is never touched): a prebuilt addon
//      for Electron (prebuild-install, from better-sqlite3's GitHub releases), else a compile against
//      Electron's headers (node-gyp, needs a C++ toolchain). The addon is then moved into place.
// A failure is one line on the console and a log file; it never fails `npm install`.
import { spawn } from 'node:child_process'
import { cpSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BINDING_FILE, betterSqlitePackageDir, electronBindingDir, packageVersion } from '../src/main/native-binding-location'
import { findElectronBinary, type ElectronBinary } from './electron-binary'

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers'
const PREBUILT_TIMEOUT_MS = 120_000
const COMPILE_TIMEOUT_MS = 15 * 60_000
const NETWORK_ERROR =
  /getaddrinfo \w+ [\w.-]+|\b(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b[^\n]*|related to network connectivity/

export type NativeBuildResult = { status: 'ready' | 'built'; path: string; message: string } | { status: 'skipped' | 'failed'; message: string }

export interface EnsureOptions {
  root?: string
  binary?: ElectronBinary
  log?(line: string): void
}

interface Step {
  name: string
  command: string[]
  timeoutMs: number
}

// npm passes its configuration to scripts as npm_config_* variables, and node-gyp and prebuild-install read
// them: a `nodedir` (set on this machine, for instance) would make node-gyp build against Node's headers.
// Our flags say everything about the target instead.
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|platform|build_from_source|devdir)$/i.test(key)) delete env[key]
  }
  return env
}

function run(step: Step, cwd: string, log: WriteStream): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((done) => {
    log.write(`\n$ ${step.command.join(' ')}\n`)
    const [executable, ...args] = step.command as [string, ...string[]]
    const child = spawn(executable, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.pipe(log, { end: false })
    child.stderr.pipe(log, { end: false })
    // The tail of the output, to name a network failure in the one-line summary.
    let tail = ''
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-8_192)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const timer = setTimeout(() => child.kill('SIGKILL'), step.timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      done({ ok: false, reason: `${step.name} could not run (${error.message})` })
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return done({ ok: true })
      const network = tail
        .split('\n')
        .find((line) => NETWORK_ERROR.test(line))
        ?.match(NETWORK_ERROR)?.[0]
      done({
        ok: false,
        reason: signal ? `${step.name} timed out` : `${step.name} failed (exit ${code}${network ? `, no network: ${network}` : ''})`,
      })
    })
  })
}

/** node-gyp as npm ships it: npm tells scripts where (npm_config_node_gyp); otherwise next to this Node. */
function findNodeGyp(root: string): string | undefined {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js')
  } catch {
    return undefined
  }
}

export async function ensureElectronNative(options: EnsureOptions = {}): Promise<NativeBuildResult> {
  const root = options.root ?? PROJECT_ROOT
  const log = options.log ?? console.log
  const binary = options.binary ?? findElectronBinary(root)
  if (!binary.installed) {
    return { status: 'skipped', message: `Electron binary not installed: ${binary.reason}` }
  }
  const sqliteDir = betterSqlitePackageDir(root)
  const target = { electronVersion: binary.version, sqliteVersion: packageVersion(sqliteDir), platform: process.platform, arch: process.arch }
  const outDir = electronBindingDir(root, target)
  const outFile = join(outDir, BINDING_FILE)
  if (existsSync(outFile)) return { status: 'ready', path: outFile, message: `better-sqlite3 for Electron ${binary.version}: ${outFile}` }

  const cacheDir = dirname(outDir)
  const stage = join(cacheDir, `.build-${process.pid}`)
  const logFile = join(cacheDir, 'better-sqlite3-electron-build.log')
  mkdirSync(cacheDir, { recursive: true })
  rmSync(stage, { recursive: true, force: true })
  const logStream = createWriteStream(logFile)
  log(`Building better-sqlite3 ${target.sqliteVersion} for Electron ${target.electronVersion} (${target.platform}-${target.arch})…`)
  try {
    // The package without its Node build and without anything it installed for itself.
    cpSync(sqliteDir, stage, {
      recursive: true,
      filter: (source) => {
        const inside = relative(sqliteDir, source)
        return inside !== 'build' && !inside.startsWith(`build${sep}`) && !inside.split(sep).includes('node_modules')
      },
    })
    const electronTarget = [`--target=${target.electronVersion}`, `--arch=${target.arch}`]
    const steps: Step[] = []
    try {
      const prebuild = createRequire(join(sqliteDir, 'package.json')).resolve('prebuild-install/bin.js')
      steps.push({
        name: 'prebuild-install',
        command: [process.execPath, prebuild, '--runtime=electron', ...electronTarget, `--platform=${target.platform}`, '--verbose'],
        timeoutMs: PREBUILT_TIMEOUT_MS,
      })
    } catch {
      logStream.write('prebuild-install is not installed; compiling instead\n')
    }
    const nodeGyp = findNodeGyp(root)
    if (nodeGyp) {
      steps.push({
        name: 'node-gyp',
        command: [process.execPath, nodeGyp, 'rebuild', '--release', ...electronTarget, `--dist-url=${ELECTRON_HEADERS_URL}`],
        timeoutMs: COMPILE_TIMEOUT_MS,
      })
    }
    const reasons: string[] = []
    for (const step of steps) {
      if (step.name === 'node-gyp') log('No prebuilt addon could be downloaded; compiling it (a few minutes)…')
      const outcome = await run(step, stage, logStream)
      const built = join(stage, 'build', 'Release', BINDING_FILE)
      if (outcome.ok && existsSync(built)) {
        const temp = `${outDir}.${process.pid}.tmp`
        rmSync(temp, { recursive: true, force: true })
        mkdirSync(temp, { recursive: true })
        cpSync(built, join(temp, BINDING_FILE))
        writeFileSync(
          join(temp, 'build-info.json'),
          `${JSON.stringify({ ...target, builtWith: step.name, builtAt: new Date().toISOString() }, null, 2)}\n`,
        )
        renameSync(temp, outDir)
        return {
          status: 'built',
          path: outFile,
          message: `better-sqlite3 for Electron ${target.electronVersion} built with ${step.name}: ${outFile}`,
        }
      }
      reasons.push(outcome.ok ? `${step.name} produced no ${BINDING_FILE}` : outcome.reason)
    }
    if (steps.length === 0) reasons.push('neither prebuild-install nor node-gyp is available')
    return {
      status: 'failed',
      message: `better-sqlite3 could not be built for Electron ${target.electronVersion}: ${reasons.join('; ')} (details in ${logFile})`,
    }
  } finally {
    logStream.end()
    rmSync(stage, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const postinstall = process.argv.includes('--postinstall')
  ensureElectronNative().then(
    (result) => {
      if (result.status === 'ready' || result.status === 'built') {
        console.log(`support-console: ${result.message}`)
        return
      }
      const note =
        result.status === 'skipped'
          ? 'better-sqlite3 was not built for Electron; the tests and web mode do not need it, and `npm start` downloads Electron and builds it when it can.'
          : 'the desktop app needs it (the tests and web mode do not); retry with `npm run native:electron`.'
      console.log(`support-console: ${result.message}; ${note}`)
      // During npm install this is information, never a failure.
      if (!postinstall && result.status === 'failed') process.exitCode = 1
    },
    (error: unknown) => {
      console.log(`support-console: better-sqlite3 could not be built for Electron: ${error instanceof Error ? error.message : String(error)}`)
      if (!postinstall) process.exitCode = 1
    },
  )
}
