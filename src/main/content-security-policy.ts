// The Content-Security-Policy the desktop app sends with its pages, as a response header: from the app://
// handler (app-protocol.ts) for the built console, and onto the Vite dev server's responses in development
// (security.ts). The page also carries its own <meta> policy (src/renderer/index.html), which the web
// console relies on; where both apply the browser enforces each, so the stricter one wins.
// No Electron import, so the tests read it under plain Node.

type Directives = Record<string, string[]>

const serialize = (directives: Directives): string =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ')

const desktop: Directives = {
  'default-src': ["'none'"],
  // Only the console's own bundled scripts and CSS: no inline code, no eval.
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'worker-src': ["'self'"],
  // Never remote images: one in a customer's Markdown would tell a third party the agent opened it.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // The renderer reaches the core over IPC only, so it opens no connection of any kind.
  'connect-src': ["'none'"],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
}

export const DESKTOP_CSP = serialize(desktop)

/**
 * For `electron-vite dev` only: Vite's dev server injects inline scripts (React Refresh) and styles and
 * talks to the page over a WebSocket. Never used by a built app.
 */
export function devServerCsp(devServerUrl: string): string {
  const { host } = new URL(devServerUrl)
  return serialize({
    ...desktop,
    'script-src': ["'self'", "'unsafe-inline'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'connect-src': ["'self'", `ws://${host}`],
  })
}
