// How the core's own refusals become the one error type of the renderer-facing API, so IPC and HTTP report
// the same code and sentence for the same problem.
import type { z } from 'zod'
import { ApiError } from '../../../shared/api'
import { describeIssue } from '../../../shared/schemas'
import { DraftRequestError } from '../drafting/drafting-service'
import { StoreInputError } from '../store/errors'

/**
 * Known refusals as ApiErrors; anything else is a bug, left for the transport to log and answer with a
 * generic 'internal' error (its message may name internals).
 */
export function knownApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error
  if (error instanceof DraftRequestError) return new ApiError(error.code, error.message)
  if (error instanceof StoreInputError) return new ApiError('invalid-input', error.message)
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
