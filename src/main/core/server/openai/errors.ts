// Refusals on the OpenAI-compatible routes, in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`,
// so an OpenAI client raises them as its own errors (APIError with the status). Every refusal the rest of the
// server makes (a bad key, a missing scope, a rate limit) is an HttpError; this is where it changes shape.
import type { ServerResponse } from 'node:http'
import type { DraftError } from '../../../../shared/domain'
import { HttpError, sendJson } from '../http-errors'
import { RATE_LIMITED } from '../rate-limits'

/** OpenAI's error object. */
export interface OpenAiErrorBody {
  message: string
  type: string
  param: string | null
  code: string | null
}

/** A request OpenAI's format allows but this one cannot be answered: 400, naming the parameter. */
export class OpenAiRequestError extends HttpError {
  override name = 'OpenAiRequestError'
  constructor(
    message: string,
    readonly param: string | null,
    code = 'invalid_value',
  ) {
    super(400, code, message)
  }
}

/** The routes under this prefix answer every refusal in OpenAI's shape, unknown paths under it included. */
export const OPENAI_PREFIX = '/v1/'

export const isOpenAiPath = (pathname: string): boolean => pathname.startsWith(OPENAI_PREFIX) || pathname === '/v1'

/** Our error codes as OpenAI's: the code a client can branch on. */
const CODES: Record<string, string> = {
  unauthorized: 'invalid_api_key',
  forbidden: 'permission_denied',
  'forbidden-origin': 'origin_not_allowed',
  'forbidden-host': 'host_not_allowed',
  [RATE_LIMITED]: 'rate_limit_exceeded',
  'too-many-streams': 'rate_limit_exceeded',
  'not-found': 'not_found',
  conflict: 'conversation_busy',
  'invalid-input': 'invalid_value',
  'malformed-json': 'invalid_json',
  'payload-too-large': 'request_too_large',
  'unsupported-media-type': 'invalid_content_type',
  'method-not-allowed': 'method_not_allowed',
  unavailable: 'service_unavailable',
  storage: 'storage_full',
  internal: 'internal_error',
}

function typeOf(status: number): string {
  if (status === 401) return 'invalid_request_error'
  if (status === 403) return 'permission_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

export function openAiErrorBody(error: HttpError): OpenAiErrorBody {
  return {
    message: error.message,
    type: typeOf(error.status),
    param: error instanceof OpenAiRequestError ? error.param : null,
    code: error instanceof OpenAiRequestError ? error.code : (CODES[error.code] ?? error.code.replace(/-/g, '_')),
  }
}

export function sendOpenAiError(response: ServerResponse, error: HttpError, cors: Record<string, string> = {}): void {
  sendJson(response, error.status, { error: openAiErrorBody(error) }, { ...cors, ...error.headers })
}

/**
 * How a draft that did not finish is told to the client, with the status a whole answer would have had. The core
 * has already retried what can be retried (Gemini's 429 and 5xx), and each new request starts a new draft, so
 * the client is asked not to retry on its own (`x-should-retry`, which OpenAI's clients honour).
 */
export function draftFailure(error: DraftError | null, stopped: boolean): HttpError {
  const noRetry = { 'x-should-retry': 'false' }
  const message = error?.message ?? 'The draft ended without a reply.'
  if (stopped) return new HttpError(409, 'draft_stopped', message, noRetry)
  switch (error?.kind) {
    case 'quota':
      return new HttpError(429, 'gemini_quota_exceeded', message, noRetry)
    case 'invalid-input':
      return new HttpError(400, 'gemini_refused_request', message, noRetry)
    case 'auth':
      return new HttpError(503, 'gemini_not_configured', message, noRetry)
    case 'overloaded':
      return new HttpError(503, 'gemini_overloaded', message, noRetry)
    case 'timeout':
      return new HttpError(504, 'gemini_timeout', message, noRetry)
    case 'network':
      return new HttpError(502, 'gemini_unreachable', message, noRetry)
    case 'storage':
      return new HttpError(507, 'storage_full', message, noRetry)
    default:
      return new HttpError(500, 'draft_failed', message, noRetry)
  }
}
