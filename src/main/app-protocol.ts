// The built renderer is served from app://console/, a custom scheme, not file:// (Electron security
// checklist item 18): a file:// page could read any file the user can, and the packaged app's fuses take
// file:// privileges away anyway. The handler serves only files inside the renderer folder, with the CSP.
// No Electron import, so the request handling is tested under plain Node (test/electron-shell.test.ts).
import { contentTypeOf } from './core/server/content-types'
import { readFile, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { DESKTOP_CSP } from './content-security-policy'

export const APP_SCHEME = 'app'
export const APP_HOST = 'console'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * Registered before `ready`. `standard` gives the scheme an origin and relative URLs; `secure` makes it a
 * secure context like https. Nothing else: no CSP bypass, no service workers, no CORS from other origins.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const

const SECURITY_HEADERS = {
  'Content-Security-Policy': DESKTOP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

/**
 * The file an app:// URL names inside `rootDir`, or undefined when the URL is for another host or would
 * leave the folder (`..`, encoded separators, absolute paths). `/` is index.html.
 */
export function resolveAppFile(rootDir: string, url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return undefined
  }
  // An encoded backslash or NUL would otherwise survive URL normalisation and mean something to the OS.
  if (pathname.includes('\\') || pathname.includes('\0')) return undefined
  const root = resolve(rootDir)
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`)
  const inside = relative(root, file)
  if (!inside || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined
  return file
}

const notFound = (): Response =>
  new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } })

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** The protocol handler for app://: GET only, files from `rootDir`, unknown routes fall back to index.html. */
export function createAppRequestHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...SECURITY_HEADERS, Allow: 'GET, HEAD' } })
    }
    let file = resolveAppFile(rootDir, request.url)
    if (!file) return notFound()
    if (!(await isFile(file))) {
      // A client-side route (no file extension) is the single-page app itself; a missing asset is a 404.
      if (extname(file) !== '') return notFound()
      file = resolve(rootDir, 'index.html')
      if (!(await isFile(file))) return notFound()
    }
    const body = request.method === 'HEAD' ? null : await readFile(file)
    return new Response(body, {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeOf(file) },
    })
  }
}
