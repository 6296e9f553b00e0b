// Checks for values that reach the store from outside (HTTP bodies, IPC payloads, integrations).
// The server validates shapes too; these make the store safe on its own and turn bad input into a
// StoreInputError with a readable message instead of a raw SQLite constraint error.
import { ERROR_KINDS, MESSAGE_ROLES, MESSAGE_STATUSES } from '../../../shared/domain'
import type { ErrorKind, MessageRole, MessageStatus, TokenUsage } from '../../../shared/domain'
import { MAX_SOURCE_CHARS, MAX_TITLE_CHARS } from '../../../shared/limits'
import { StoreInputError } from './errors'

const MAX_SHORT_TEXT_LENGTH = 200
const MAX_ERROR_MESSAGE_LENGTH = 4000

export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

export function requireId(value: unknown, what: string): number {
  if (!isId(value)) throw new StoreInputError(`${what} must be a positive whole number.`)
  return value
}

export function requireTitle(value: unknown): string {
  if (typeof value !== 'string') throw new StoreInputError('The conversation title must be text.')
  const title = value.trim()
  if (title.length > MAX_TITLE_CHARS) {
    throw new StoreInputError(`The conversation title is too long (at most ${MAX_TITLE_CHARS} characters).`)
  }
  return title
}

export function requireSource(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_SOURCE_CHARS) {
    throw new StoreInputError(`The source must be a name of 1 to ${MAX_SOURCE_CHARS} characters.`)
  }
  return value.trim()
}

export function requireText(value: unknown, what = 'The message text'): string {
  if (typeof value !== 'string') throw new StoreInputError(`${what} must be text.`)
  return value
}

export function requireShortText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SHORT_TEXT_LENGTH) {
    throw new StoreInputError(`${what} must be text of 1 to ${MAX_SHORT_TEXT_LENGTH} characters.`)
  }
  return value
}

export function requireRole(value: unknown): MessageRole {
  if (!(MESSAGE_ROLES as readonly unknown[]).includes(value)) {
    throw new StoreInputError(`The message role must be one of: ${MESSAGE_ROLES.join(', ')}.`)
  }
  return value as MessageRole
}

export function requireStatus(value: unknown, allowed: readonly MessageStatus[] = MESSAGE_STATUSES): MessageStatus {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new StoreInputError(`The message status must be one of: ${allowed.join(', ')}.`)
  }
  return value as MessageStatus
}

export function optionalErrorKind(value: unknown): ErrorKind | null {
  if (value === null || value === undefined) return null
  if (!(ERROR_KINDS as readonly unknown[]).includes(value)) {
    throw new StoreInputError(`The error kind must be one of: ${ERROR_KINDS.join(', ')}.`)
  }
  return value as ErrorKind
}

export function optionalShortText(value: unknown, what: string): string | null {
  if (value === null || value === undefined || value === '') return null
  return requireShortText(value, what)
}

/** Millisecond timings and token counts: STRICT INTEGER columns, so fractional timings are rounded. */
export function optionalCount(value: unknown, what: string): number | null {
  if (value === null || value === undefined) return null
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new StoreInputError(`${what} must be a non-negative number or null.`)
  }
  return Math.round(value)
}

export function requireUsage(value: unknown): TokenUsage {
  const usage = (value ?? {}) as Partial<Record<keyof TokenUsage, unknown>>
  return {
    promptTokens: optionalCount(usage.promptTokens, 'promptTokens'),
    outputTokens: optionalCount(usage.outputTokens, 'outputTokens'),
    totalTokens: optionalCount(usage.totalTokens, 'totalTokens'),
  }
}

// Google API keys have this shape. Error text normally never holds one (the Gemini client strips it),
// but an error message is the one field that can echo a request URL, so redact as a last line of defence.
const API_KEY = /AIza[0-9A-Za-z_-]{35}/g

export function optionalErrorMessage(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value !== 'string') throw new StoreInputError('The error message must be text or null.')
  return value.replace(API_KEY, '[redacted]').slice(0, MAX_ERROR_MESSAGE_LENGTH)
}
