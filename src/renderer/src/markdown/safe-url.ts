// Which link targets a reply may carry. Replies come from a model that read customer text, so a link is
// untrusted input: only web and mail links survive; anything else (javascript:, data:, file:, relative
// paths that would navigate the console itself) is shown as plain text. Pure: unit-tested under Node.

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])

/** The normalised URL if it is an absolute http(s) or mailto link, otherwise null. */
export function safeHref(raw: string | null | undefined): string | null {
  if (!raw) return null
  let url: URL
  try {
    // URL parsing strips tabs and newlines the way browsers do, so "java\nscript:" is seen as javascript:.
    url = new URL(raw.trim())
  } catch {
    return null
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null
  if (url.protocol !== 'mailto:' && !url.hostname) return null
  return url.href
}
