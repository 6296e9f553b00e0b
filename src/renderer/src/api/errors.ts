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
