// The built web console (`out/renderer`), served at `/` in web mode. These files hold no data, so they need no
// token; every API call the page then makes does. Only files inside the folder are ever read: paths are
// decoded once, dot segments and hidden names are refused, and symlinks are resolved before the check.
import { readFile, realpath, stat } from 'node:fs/promises'
import { existsSync, realpathSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, sep } from 'node:path'
import { contentTypeOf } from './content-types'
import { HttpError } from './http-errors'

/**
 * The page may load only its own scripts and styles and talk only to this server. No inline script or
 * style element is allowed (React's `style` props are set through the DOM, which CSP does not restrict).
 */
export const WEB_CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const SECURITY_HEADERS = {
  'Content-Security-Policy': WEB_CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** First path segments of the API; never looked up as files. */
const API_SEGMENTS = new Set(['api', 'chat', 'conversations', 'health'])

export class WebConsoleFiles {
  private constructor(private readonly root: string) {}

  /** Checks the folder once, at start-up, so a missing build is reported then and not as a blank page. */
  static open(dir: string): WebConsoleFiles {
    const index = join(dir, 'index.html')
    if (!existsSync(index) || !statSync(index).isFile()) {
      throw new Error(`The web console is not built: ${index} is missing. Run \`npm run build\` first.`)
    }
    return new WebConsoleFiles(realpathSync(dir))
  }

  /** Serves the file for a GET or HEAD; false when the path belongs to the API, which handles it. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false
    if (API_SEGMENTS.has(url.pathname.split('/')[1] as string)) return false
    const segments = pathSegments(url.pathname)
    const underAssets = segments[0] === 'assets'
    const file = segments.length === 0 ? join(this.root, 'index.html') : await this.find(segments)
    // Every path outside the API belongs to the console, so a missing one is a plain 404 (the browser's own
    // /favicon.ico request included), not a request for a token.
    if (!file) throw new HttpError(404, 'not-found', `Nothing at ${url.pathname}.`)
    const body = await readFile(file)
    const html = extname(file) === '.html'
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeOf(file),
      'Content-Length': body.length,
      // Vite names assets by content hash, so they never change; the page must be revalidated to pick up a build.
      'Cache-Control': underAssets && !html ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    response.end(request.method === 'HEAD' ? undefined : body)
    return true
  }

  private async find(segments: string[]): Promise<string | undefined> {
    const candidate = join(this.root, ...segments)
    try {
      const real = await realpath(candidate)
      if (!real.startsWith(this.root + sep)) return undefined
      return (await stat(real)).isFile() ? real : undefined
    } catch {
      return undefined
    }
  }
}

/**
 * The decoded segments of a path, or a 404 for anything that could step outside the folder or reach a hidden
 * file: `..` or `.` (also percent-encoded, e.g. `/..%2f..%2fpackage.json`), backslashes, NUL, empty segments.
 */
function pathSegments(pathname: string): string[] {
  if (pathname === '/') return []
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    throw new HttpError(400, 'invalid-input', 'The path is not valid percent-encoding.')
  }
  const segments = decoded.slice(1).split('/')
  const unsafe = segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0') || s.includes(':'))
  if (unsafe) throw new HttpError(404, 'not-found', `Nothing at ${pathname}.`)
  return segments
}
