// Where the built web console is and the link that opens it, for `npm run serve` and the `npm start` fallback.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')

/** `out/renderer` when `npm run build` has produced it; otherwise the server runs API-only. */
export function builtWebConsole(root = PROJECT_ROOT): string | undefined {
  const dir = join(root, 'out', 'renderer')
  return existsSync(join(dir, 'index.html')) ? dir : undefined
}

/** The address a browser on this machine opens: a wildcard bind is reached through loopback. */
export function browserBase(host: string, port: number): string {
  const name = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return `http://${name}:${port}`
}

/**
 * The token travels in the fragment, which browsers never send to a server or put in a Referer; the page
 * moves it to session storage and strips it from the address bar. Still, the link is as secret as the token.
 */
export const webConsoleLink = (host: string, port: number, token: string): string => `${browserBase(host, port)}/#token=${encodeURIComponent(token)}`
