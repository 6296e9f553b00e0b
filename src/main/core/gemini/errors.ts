// DraftError values for everything that can go wrong with a Gemini draft, in words a support agent can act on.
// Pure: no SDK here, so sdk-stream.ts (which knows the SDK's error classes) and client.ts (which knows about
// aborts and idle timers) share one vocabulary.
import type { DraftError } from '../../../shared/domain'

/** finishReasons meaning Gemini refused to go on, as opposed to finishing (STOP) or running out (MAX_TOKENS). */
export const BLOCKING_FINISH_REASONS: ReadonlySet<string> = new Set(['SAFETY', 'RECITATION', 'LANGUAGE', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII'])

const seconds = (ms: number): string => {
  const s = Math.max(1, Math.round(ms / 1000))
  return s === 1 ? '1 second' : `${s} seconds`
}

export function noApiKey(): DraftError {
  return {
    kind: 'auth',
    retryable: false,
    message: 'No Gemini API key is set. Add one in Settings or set GEMINI_API_KEY.',
  }
}

export function badApiKey(status: number): DraftError {
  return { kind: 'auth', retryable: false, status, message: 'Gemini did not accept the API key. Check the key in Settings.' }
}

export function permissionDenied(status: number): DraftError {
  return {
    kind: 'auth',
    retryable: false,
    status,
    message: 'This API key is not allowed to use Gemini (permission denied). Check the key and its project in Settings.',
  }
}

export function quota(status: number, retryAfterMs: number | undefined): DraftError {
  const when = retryAfterMs === undefined ? 'in a moment' : `in ${seconds(retryAfterMs)}`
  const error: DraftError = {
    kind: 'quota',
    retryable: true,
    status,
    message: `Gemini's usage limit for this key was reached (too many requests). Try again ${when}.`,
  }
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs
  return error
}

export function overloaded(status: number): DraftError {
  const message = status === 500 ? 'Gemini had an internal error; try again in a moment.' : 'Gemini is overloaded right now; try again in a moment.'
  return { kind: 'overloaded', retryable: true, status, message }
}

export function serverTimeout(status: number): DraftError {
  return { kind: 'timeout', retryable: true, status, message: 'Gemini took too long to answer; try again.' }
}

export function idleTimeout(idleMs: number): DraftError {
  return {
    kind: 'timeout',
    retryable: true,
    message: `Gemini sent nothing for ${seconds(idleMs)}, so the draft was stopped. Try again.`,
  }
}

export function unknownModel(model: string, status?: number): DraftError {
  const error: DraftError = {
    kind: 'invalid-input',
    retryable: false,
    message: `Gemini has no model named "${model}". Choose another model in Settings.`,
  }
  if (status !== undefined) error.status = status
  return error
}

export function rejectedRequest(status: number | undefined, detail: string): DraftError {
  const error: DraftError = {
    kind: 'invalid-input',
    retryable: false,
    message: detail ? `Gemini could not process this request: ${detail}` : 'Gemini could not process this request.',
  }
  if (status !== undefined) error.status = status
  return error
}

export function network(midStream: boolean): DraftError {
  return {
    kind: 'network',
    retryable: true,
    message: midStream
      ? 'The connection to Gemini was lost while the draft was streaming. Try again.'
      : 'Could not reach Gemini. Check the network connection and try again.',
  }
}

export function unreadableReply(): DraftError {
  return { kind: 'network', retryable: true, message: 'Gemini sent a reply that could not be read. Try again.' }
}

export function cancelled(): DraftError {
  return { kind: 'cancelled', retryable: false, message: 'The draft was stopped.' }
}

export function promptBlocked(blockReason: string): DraftError {
  return {
    kind: 'blocked',
    retryable: false,
    message: `Gemini declined to answer this conversation (blocked: ${blockReason}). Write the reply yourself or rephrase.`,
  }
}

export function replyBlocked(finishReason: string): DraftError {
  const why =
    finishReason === 'RECITATION'
      ? 'because it resembled existing published text'
      : finishReason === 'LANGUAGE'
        ? 'because of the language of the conversation'
        : 'for safety reasons'
  return {
    kind: 'blocked',
    retryable: false,
    message: `Gemini stopped this draft ${why} (${finishReason}). Keep what is useful or write the reply yourself.`,
  }
}

/** Google's RetryInfo delay ("15s", "1.5s", "0.250s") in milliseconds; undefined when absent or unreadable. */
export function parseRetryDelay(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim())
  return match ? Math.round(Number(match[1]) * 1000) : undefined
}

/** Removes the API key from text that came from elsewhere (SDK messages quote URLs and server text). */
export function scrubKey(text: string, apiKey: string | undefined): string {
  if (!apiKey) return text
  return text.split(apiKey).join('[API key]')
}

export function threadStopped(detail: string): DraftError {
  return {
    kind: 'network',
    retryable: true,
    message: `The drafting thread stopped before Gemini finished (${detail}). The text so far is kept; try again.`,
  }
}
