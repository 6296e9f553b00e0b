// One Chromium for a whole test file, and what each test opened (pages, servers, cores) closed after it: the
// lifecycle every browser test file needs, in one place.
import { afterAll, afterEach, beforeAll } from 'vitest'
import { launchChromium, type LaunchedChromium } from './chromium'

export interface ChromiumPerFile {
  /** The file's browser; launched before the first test. */
  readonly browser: LaunchedChromium
  /** Runs `cleanup` after the current test, the last added first (a page before the server it talks to). */
  afterThisTest(cleanup: () => Promise<unknown>): void
}

/**
 * For a test file: launches Chromium before its tests and closes it after them. Every cleanup runs even when
 * one fails; a single failure is rethrown as it is (so an assertion reads as one), several as an AggregateError.
 */
export function chromiumPerFile(): ChromiumPerFile {
  let browser: LaunchedChromium | undefined
  const cleanups: Array<() => Promise<unknown>> = []
  // Generous: a bound for a hang, on a machine whose two cores also run another test file.
  beforeAll(async () => {
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
  })
  afterEach(async () => {
    const failures: unknown[] = []
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => failures.push(error))
    if (failures.length === 1) throw failures[0]
    if (failures.length > 1) throw new AggregateError(failures, 'cleanup failed')
  })
  return {
    get browser() {
      if (!browser) throw new Error('Chromium is launched in beforeAll; use it inside a test or hook')
      return browser
    },
    afterThisTest: (cleanup) => void cleanups.push(cleanup),
  }
}
