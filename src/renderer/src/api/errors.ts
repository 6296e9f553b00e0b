// Turns whatever an API call rejected with into a sentence for the agent. The API rejects with ApiError
// (already written for people); anything else is unexpected, and its message is the best we have.
import { API_ERROR_CODES, ApiError, type ApiErrorCode } from '../../../shared/api'

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong. Try again.'
}

/** The ApiError code, also for errors that crossed a boundary as plain objects with the same shape. */
export function errorCode(error: unknown): ApiErrorCode | null {
  if (error instanceof ApiError) return error.code
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
  return API_ERROR_CODES.find((known) => known === code) ?? null
}

/**
 * Whether the core could not write its database (a full disk, a read-only data folder). Read from the raw code
 * rather than errorCode(), so it holds whichever transports already pass the 'storage' code through.
 */
export function isStorageError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'storage'
}

/**
 * Why saving `what` (the customer's message, the reply) failed. A storage failure says outright that it was not
 * saved, and that the text is still on screen: the agent must never believe it is in the transcript.
 */
export function describeSaveError(error: unknown, what: string): string {
  const reason = describeError(error)
  return isStorageError(error) ? `${what} was not saved (it is still here). ${reason}` : reason
}
