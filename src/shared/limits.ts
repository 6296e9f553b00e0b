// Limits that callers of the local API and the renderer both need to know; documented in the README.

/** Longest customer message accepted, in characters. */
export const MAX_MESSAGE_CHARS = 32_000

/** Longest integration name (`source`) accepted. */
export const MAX_SOURCE_CHARS = 64

/** Page size bounds for conversation listings. */
export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200
