// The Electron shell's decisions that do not need Electron to check: what the app:// handler serves (and
// refuses), the Content-Security-Policy it sends, which links leave the app and which permissions a page gets.
// (Sender checks and IPC are in ipc-contract.test.ts; the running app in electron-e2e.test.ts.)
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, APP_ORIGIN, createAppRequestHandler, resolveAppFile } from '../src/main/app-protocol'
import { DESKTOP_CSP, devServerCsp } from '../src/main/content-security-policy'
import { externalLinkAction, httpLinkConfirmation, isPermissionAllowed } from '../src/main/security-policy'
import { originOf } from '../src/main/trusted-sender'

const directives = (csp: string): Map<string, string[]> =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name as string, sources]),
  )

describe('app:// handler', () => {
  let root: string
  let handle: (request: Request) => Promise<Response>
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'sc-protocol-'))
    root = join(base, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Support Console</title>')
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
    writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}')
    // Beside the served folder: must never be reachable.
    writeFileSync(join(base, 'secret.txt'), 'api key')
    handle = createAppRequestHandler(root)
  })

  const get = (url: string, method = 'GET') => handle(new Request(url, { method }))

  it('serves the console with its CSP and the right content types', async () => {
    const page = await get(APP_ENTRY_URL)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(DESKTOP_CSP)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('Support Console')
    expect((await get(`${APP_ORIGIN}/`)).status).toBe(200)
    expect((await get(`${APP_ORIGIN}/assets/index-abc.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await get(`${APP_ORIGIN}/assets/index-abc.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8')
  })

  it('answers a client-side route with the page, and a missing asset with 404', async () => {
    expect(await (await get(`${APP_ORIGIN}/conversations/42`)).text()).toContain('Support Console')
    expect((await get(`${APP_ORIGIN}/assets/missing.js`)).status).toBe(404)
  })

  it.each([
    `${APP_ORIGIN}/../secret.txt`,
    `${APP_ORIGIN}/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/assets/%2e%2e/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/..%2fsecret.txt`,
    `${APP_ORIGIN}/..%5csecret.txt`,
    `${APP_ORIGIN}/index.html%00.js`,
    `${APP_ORIGIN}/%E0%A4%A`,
    'app://elsewhere/index.html',
  ])('never serves anything outside the folder: %s', async (url) => {
    const response = await get(url)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('api key')
  })

  it('refuses everything but GET and HEAD', async () => {
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405)
    const head = await get(APP_ENTRY_URL, 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('maps URLs to files only under the folder', () => {
    expect(resolveAppFile('/srv/r', 'app://console/')).toBe('/srv/r/index.html')
    expect(resolveAppFile('/srv/r', 'app://console/a/b.js?x=1#y')).toBe('/srv/r/a/b.js')
    expect(resolveAppFile('/srv/r', 'file:///srv/r/index.html')).toBeUndefined()
    expect(resolveAppFile('/srv/r', 'not a url')).toBeUndefined()
  })
})

describe('Content-Security-Policy', () => {
  it('allows only the app itself in the desktop app: no inline code, eval, remote content or connections', () => {
    const csp = directives(DESKTOP_CSP)
    expect(csp.get('default-src')).toEqual(["'none'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('style-src')).toEqual(["'self'"])
    expect(csp.get('connect-src')).toEqual(["'none'"])
    expect(csp.get('img-src')).toEqual(["'self'", 'data:'])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    expect(csp.get('form-action')).toEqual(["'none'"])
    expect(DESKTOP_CSP).not.toMatch(/unsafe|\*|https?:/)
  })

  it('relaxes only what the Vite dev server needs, in development', () => {
    const csp = directives(devServerCsp('http://localhost:5173/'))
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173'])
    expect(csp.get('default-src')).toEqual(["'none'"])
  })
})

describe('links and permissions', () => {
  it.each([
    ['https://support.example.com/kb/42', 'open'],
    ['https://example.com', 'open'],
    ['HTTPS://EXAMPLE.COM/Case', 'open'],
    ['mailto:customer@example.com', 'open'],
    ['mailto:customer@example.com?subject=Order%2042&body=Hello', 'open'],
    // Plain http is a normal link in a reply (an old shop page), but unencrypted: the agent confirms first.
    ['http://example.com', 'confirm'],
    ['http://shop.example.com/orders?id=42#status', 'confirm'],
    ['mailto:', 'refuse'],
    ['file:///etc/passwd', 'refuse'],
    ['javascript:alert(1)', 'refuse'],
    ['data:text/html,<script>alert(1)</script>', 'refuse'],
    ['app://console/index.html', 'refuse'],
    ['smb://server/share', 'refuse'],
    ['ms-settings:privacy', 'refuse'],
    ['vscode://file/etc/passwd', 'refuse'],
    ['https://user:pass@example.com/', 'refuse'],
    ['http://user@example.com/', 'refuse'],
    ['not a url', 'refuse'],
    ['', 'refuse'],
  ])('a link to %s: %s', (url, expected) => {
    expect(externalLinkAction(url)).toBe(expected)
  })

  it('asks before an http link with the full address, Open and Cancel, Cancel the default', () => {
    const url = 'http://shop.example.com/orders?id=42'
    const dialog = httpLinkConfirmation(url)
    expect(dialog.buttons).toEqual(['Open', 'Cancel'])
    expect(dialog.defaultId).toBe(1)
    expect(dialog.cancelId).toBe(1)
    expect(`${dialog.message}\n${dialog.detail}`).toContain(url)
    expect(dialog.detail).toMatch(/not encrypted/)
  })

  it('grants our pages clipboard writing (Copy buttons) and nothing else; other pages nothing', () => {
    const origins = [APP_ORIGIN]
    expect(isPermissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL, origins)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', `${APP_ORIGIN}/`, origins)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', origins)).toBe(false)
    for (const permission of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'unknown']) {
      expect(isPermissionAllowed(permission, APP_ENTRY_URL, origins), permission).toBe(false)
    }
  })

  it('compares origins by scheme, host and port (URL.origin is "null" for app:// under Node)', () => {
    expect(originOf('app://console/index.html')).toBe(APP_ORIGIN)
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173')
    expect(originOf('file:///tmp/x.html')).toBeUndefined()
    expect(originOf('about:blank')).toBeUndefined()
  })
})
