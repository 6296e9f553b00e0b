// A real Chromium for browser tests: finds an installed executable and launches it headless in a fresh
// profile that is removed afterwards. Missing Chromium is an error, never a skip: CI installs it, and a
// browser test that silently skips proves nothing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright'

/** Flags Chromium needs here: running as root in a container, no GPU, and no calls home during tests. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

export const CHROMIUM_MISSING_MESSAGE =
  'No Chromium found for the browser tests. Install one with `apt-get install chromium` (Debian/Ubuntu), ' +
  'or set CHROMIUM_PATH to the executable of an installed Chromium or Chrome. ' +
  `Looked at: $CHROMIUM_PATH, ${SYSTEM_CANDIDATES.join(', ')} and Playwright's own browser folder.`

/**
 * The Chromium to drive: $CHROMIUM_PATH, then the usual system paths, then Playwright's own download.
 * Undefined when there is none; a CHROMIUM_PATH that points nowhere throws, because a path set on purpose
 * but wrong is a mistake to report, not a reason to fall back to another browser (or to download one).
 */
export function locateChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.CHROMIUM_PATH?.trim()
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist. ${CHROMIUM_MISSING_MESSAGE}`)
    return fromEnv
  }
  for (const candidate of SYSTEM_CANDIDATES) if (existsSync(candidate)) return candidate
  let registry: string | undefined
  try {
    registry = chromium.executablePath()
  } catch {
    // Playwright throws on platforms it has no build for; treat that as "not installed".
  }
  return registry && existsSync(registry) ? registry : undefined
}

/** Like locateChromium, but a missing browser is an error (test/global-setup.ts has provisioned one by now). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = locateChromium(env)
  if (!found) throw new Error(CHROMIUM_MISSING_MESSAGE)
  return found
}

export interface LaunchedChromium {
  context: BrowserContext
  executablePath: string
  userDataDir: string
  /** A new tab in the context. */
  newPage(): Promise<Page>
  /** Closes the browser and deletes its profile; safe to call more than once. */
  close(): Promise<void>
}

export interface LaunchOptions {
  /** Extra command-line flags, after the standard ones. */
  args?: string[]
  /** Default true. */
  headless?: boolean
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const executablePath = findChromium()
  const userDataDir = mkdtempSync(join(tmpdir(), 'sc-chromium-'))
  const removeProfile = (): void => rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 })
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: options.headless ?? true,
      args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    })
  } catch (error) {
    removeProfile()
    throw new Error(`Could not launch Chromium at ${executablePath}: ${(error as Error).message}`, { cause: error })
  }
  let closing: Promise<void> | undefined
  return {
    context,
    executablePath,
    userDataDir,
    newPage: () => context.newPage(),
    close: () =>
      (closing ??= (async () => {
        try {
          await context.close()
        } finally {
          removeProfile()
        }
      })()),
  }
}
