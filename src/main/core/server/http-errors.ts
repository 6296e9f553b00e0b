// Every refusal is a JSON body with a stable code and a sentence a person can act on.
import type { ServerResponse } from 'node:http'
import type { ApiError } from '../../../shared/api'
import { HTTP_STATUS_OF } from '../../../shared/api-contract'

export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body)
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
  })
  response.end(payload)
}

export function sendError(response: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  sendJson(response, error.status, { error: { code: error.code, message: error.message } }, { ...headers, ...error.headers })
}

/** An API refusal as HTTP, by the one code-to-status table (HTTP_STATUS_OF, which the web client inverts). */
export function httpErrorOf(error: ApiError): HttpError {
  return new HttpError(HTTP_STATUS_OF[error.code], error.code, error.message)
}
