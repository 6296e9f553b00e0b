// What an API call refused with: fails the test when the call resolved, or rejected with anything but an ApiError.
import { expect } from 'vitest'
import { ApiError } from '../../src/shared/api'

export async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ApiError)
  return error as ApiError
}
