// How the core's own refusals become the one error type of the renderer-facing API, so IPC and HTTP report
// the same code and sentence for the same problem.
import type { z } from 'zod'
import { ApiError } from '../../../shared/api'
import { describeIssue } from '../../../shared/schemas'
import { StoreInputError } from '../store/errors'
import { describeStorageFailure, storageFailureCode } from '../store/storage-failure'

/**
 * Known refusals as ApiErrors; anything else is a bug, left for the transport to log and answer with a
 * generic 'internal' error (its message may name internals).
 */
export function knownApiError(error: unknown): ApiError | undefined {
  // DraftRequestError is an ApiError too.
  if (error instanceof ApiError) return error
  if (error instanceof StoreInputError) return new ApiError('invalid-input', error.message)
  const storage = storageFailureCode(error)
  if (storage) {
    return new ApiError(
      'storage',
      `Support Console could not write to its database: ${describeStorageFailure(storage)}. Nothing of this was saved; free some disk space or fix the data folder, then try again.`,
    )
  }
  return undefined
}

/** Parses input that crossed a trust boundary; a failure is an 'invalid-input' ApiError naming the problem. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what?: string): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = describeIssue(parsed.error)
    throw new ApiError('invalid-input', what ? `${what} ${issue}` : issue)
  }
  return parsed.data
}

/** Runs a core call, turning the refusals it knows into ApiErrors; bugs pass through to the transport. */
export function guard<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    throw knownApiError(error) ?? error
  }
}
