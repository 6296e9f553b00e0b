// Keyset paging for the conversation list. The cursor is the (updated_at, id) of the last row a page
// returned: the next page starts strictly after it, so rows never repeat or go missing when new
// conversations arrive between pages (OFFSET would shift), and ties in updated_at are broken by id.
// It is opaque to clients (base64url JSON) so its shape can change without breaking them.
import { MAX_CURSOR_CHARS } from '../../../shared/limits'
import { StoreInputError } from './errors'

export interface CursorPosition {
  updatedAt: string
  id: number
}

// Exactly what Date#toISOString produces, which is the only way the store writes timestamps.
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const BASE64URL = /^[A-Za-z0-9_-]+$/

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.updatedAt, position.id]), 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): CursorPosition {
  const invalid = (): StoreInputError => new StoreInputError('The list cursor is not valid: pass back the nextCursor of a previous page unchanged.')
  // Buffer.from silently skips characters outside the alphabet, so check the alphabet first.
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_CHARS || !BASE64URL.test(cursor)) throw invalid()
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid()
  const [updatedAt, id] = parsed as unknown[]
  if (typeof updatedAt !== 'string' || !ISO_UTC_MS.test(updatedAt)) throw invalid()
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw invalid()
  return { updatedAt, id }
}
