// The fresh-machine path of the browser tests, with the browser lookup and Playwright's installer faked:
// nothing is downloaded here.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { locateChromium } from './helpers/chromium'
import { ChromiumUnavailableError, installFailureReason, provisionChromium, type InstallResult } from './helpers/provision-chromium'

function fakeMachine(installed: (string | undefined)[], install: InstallResult) {
  const lookups = [...installed]
  return {
    locate: vi.fn(() => lookups.shift()),
    install: vi.fn(() => install),
  }
}

describe('provisionChromium', () => {
  it('uses an installed Chromium without running the installer', () => {
    const machine = fakeMachine(['/usr/bin/chromium'], { ok: true })
    expect(provisionChromium(machine, () => undefined)).toBe('/usr/bin/chromium')
    expect(machine.install).not.toHaveBeenCalled()
  })

  it("installs Playwright's Chromium once when none is found, then uses it", () => {
    const playwrightChromium = '/home/me/.cache/ms-playwright/chromium-1255/chrome-linux/chrome'
    const machine = fakeMachine([undefined, playwrightChromium], { ok: true })
    const log: string[] = []
    expect(provisionChromium(machine, (line) => log.push(line))).toBe(playwrightChromium)
    expect(machine.install).toHaveBeenCalledTimes(1)
    expect(log.join('\n')).toMatch(/installing Playwright's Chromium once/)
  })

  it('fails with one line saying what to install when the installer cannot download', () => {
    const machine = fakeMachine([undefined], { ok: false, reason: 'getaddrinfo ENOTFOUND cdn.playwright.dev' })
    let error: unknown
    try {
      provisionChromium(machine, () => undefined)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ChromiumUnavailableError)
    const { message, stack } = error as Error
    expect(message).toBe(
      'No Chromium for the browser tests: install one (apt-get install chromium / brew install --cask chromium) or set CHROMIUM_PATH; ' +
        '`npx playwright install chromium` failed: getaddrinfo ENOTFOUND cdn.playwright.dev',
    )
    expect(message).not.toContain('\n')
    // What the test runner prints: the line, not a stack trace under it.
    expect(stack).not.toContain('\n')
    expect(machine.install).toHaveBeenCalledTimes(1)
  })

  it('fails the same way when the installer reports success but no browser appears', () => {
    const machine = fakeMachine([undefined, undefined], { ok: true })
    expect(() => provisionChromium(machine, () => undefined)).toThrow(/^No Chromium for the browser tests: .*failed: it reported success/)
  })

  it('does not download a browser when CHROMIUM_PATH points nowhere: that is a mistake to report', () => {
    const machine = {
      locate: vi.fn(() => locateChromium({ CHROMIUM_PATH: '/nowhere/chromium' })),
      install: vi.fn((): InstallResult => ({ ok: true })),
    }
    expect(() => provisionChromium(machine, () => undefined)).toThrow(/CHROMIUM_PATH is set to \/nowhere\/chromium, which does not exist/)
    expect(machine.install).not.toHaveBeenCalled()
  })
})

describe('locateChromium', () => {
  it('takes CHROMIUM_PATH as given when it exists', () => {
    const browser = join(mkdtempSync(join(tmpdir(), 'sc-chromium-path-')), 'chrome')
    writeFileSync(browser, '')
    expect(locateChromium({ CHROMIUM_PATH: browser })).toBe(browser)
  })
})

describe('installFailureReason', () => {
  it("picks the first error line of Playwright's installer output", () => {
    // What `playwright install chromium` prints to stderr without internet (Playwright 1.65).
    const stderr = [
      'Error: getaddrinfo ENOTFOUND cdn.playwright.dev',
      '    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:internal/dns/promises:99:17) {',
      '  errno: -3008,',
      '}',
      'Error: getaddrinfo ENOTFOUND cdn.playwright.dev',
    ].join('\n')
    expect(installFailureReason(stderr, 1, null)).toBe('getaddrinfo ENOTFOUND cdn.playwright.dev')
  })

  it('says how the installer ended when it printed nothing', () => {
    expect(installFailureReason('', 1, null)).toBe('the installer exited with code 1')
    expect(installFailureReason('\n', null, 'SIGTERM')).toMatch(/stopped by SIGTERM \(it ran longer than 10 minutes\)/)
  })
})
