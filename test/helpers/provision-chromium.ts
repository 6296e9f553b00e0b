// Gives the browser tests a Chromium on a fresh machine (macOS, Windows, a Linux desktop without a system
// Chromium): when none is installed, Playwright's own installer downloads its Chromium once, before any
// test file starts (test/global-setup.ts). Where that download fails too (no internet), the run stops with
// one line saying what to install: browser tests are never skipped, because a skipped test proves nothing.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { locateChromium } from './chromium'

export type InstallResult = { ok: true } | { ok: false; reason: string }

export interface ChromiumProvisioning {
  /** An installed Chromium, or undefined. May throw (a CHROMIUM_PATH that points nowhere). */
  locate(): string | undefined
  /** Runs Playwright's installer for Chromium. */
  install(): InstallResult
}

export class ChromiumUnavailableError extends Error {
  override name = 'ChromiumUnavailableError'

  constructor(message: string) {
    super(message)
    // The message says everything; a stack trace under it would only bury the one line that matters.
    this.stack = `${this.name}: ${message}`
  }
}

export function chromiumUnavailableLine(reason: string): string {
  return (
    'No Chromium for the browser tests: install one (apt-get install chromium / brew install --cask chromium) ' +
    `or set CHROMIUM_PATH; \`npx playwright install chromium\` failed: ${reason}`
  )
}

// A download takes a minute on a slow line; a hung one should still end the run with a reason.
const INSTALL_TIMEOUT_MS = 10 * 60_000

/**
 * `npx playwright install chromium`, run as the playwright package's own CLI with this Node, so npx cannot
 * resolve a different Playwright version than the one the tests drive (each version pins its browser build).
 */
export function installPlaywrightChromium(): InstallResult {
  const cli = join(dirname(createRequire(import.meta.url).resolve('playwright/package.json')), 'cli.js')
  // Progress goes to the terminal; stderr is kept for the reason when it fails.
  const run = spawnSync(process.execPath, [cli, 'install', 'chromium'], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  })
  if (run.error) return { ok: false, reason: run.error.message }
  if (run.status === 0) return { ok: true }
  return { ok: false, reason: installFailureReason(run.stderr, run.status, run.signal) }
}

/** The first error line the installer printed (e.g. `getaddrinfo ENOTFOUND cdn.playwright.dev`), else how it exited. */
export function installFailureReason(stderr: string, status: number | null, signal: NodeJS.Signals | null): string {
  const lines = stderr.split(/\r?\n/).map((line) => line.trim())
  const error = lines.find((line) => /^Error:\s*\S/.test(line)) ?? lines.find((line) => line.length > 0)
  if (error) return error.replace(/^Error:\s*/, '')
  if (signal)
    return `the installer was stopped by ${signal}${signal === 'SIGTERM' ? ` (it ran longer than ${INSTALL_TIMEOUT_MS / 60_000} minutes)` : ''}`
  return `the installer exited with code ${status}`
}

const playwrightProvisioning: ChromiumProvisioning = { locate: () => locateChromium(), install: installPlaywrightChromium }

/** The Chromium the browser tests will use, installing Playwright's when none is found. */
export function provisionChromium(provisioning: ChromiumProvisioning = playwrightProvisioning, log: (line: string) => void = console.log): string {
  const found = provisioning.locate()
  if (found) return found
  log("No Chromium found for the browser tests: installing Playwright's Chromium once (`npx playwright install chromium`)…")
  const result = provisioning.install()
  if (!result.ok) throw new ChromiumUnavailableError(chromiumUnavailableLine(result.reason))
  const installed = provisioning.locate()
  if (!installed) throw new ChromiumUnavailableError(chromiumUnavailableLine('it reported success, but no Chromium is where Playwright installs it'))
  log(`Installed Chromium: ${installed}`)
  return installed
}
