// The one module that touches `@google/generative-ai` (scripts/check-layers.ts enforces it). Google marks the
// SDK as legacy; keeping it behind this file makes a switch to `@google/genai` (same wire format) a one-file
// change. It opens one streaming call, turns each chunk into plain data and turns SDK errors into DraftErrors.
// Retries, idle timing and aborts are client.ts's business.
import {
  GoogleGenerativeAI,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIRequestInputError,
  GoogleGenerativeAIResponseError,
  type Content,
  type ErrorDetails,
  type GenerateContentResponse,
} from '@google/generative-ai'
import type { DraftError, TokenUsage } from '../../../shared/domain'
import * as errors from './errors'
import { installTransport, transportHeaders } from './http-transport'
import type { Turn } from './types'

export interface SdkStreamParams {
  apiKey: string
  /** Without a trailing slash (the SDK appends `/v1beta/...` as is); undefined means Google's endpoint. */
  baseUrl: string | undefined
  model: string
  systemInstruction: string
  turns: Turn[]
  /** Aborting it aborts the HTTP request. */
  signal: AbortSignal
}

/** What one streamed GenerateContentResponse means to us. */
export interface RawChunk {
  /** Text of the first candidate's parts, joined; '' when the chunk had none. */
  text: string
  usage: TokenUsage | null
  finishReason: string | null
  /** Set when Gemini refused the prompt itself (no candidates at all). */
  blockReason: string | null
}

export function toContents(turns: Turn[]): Content[] {
  return turns.map((turn) => ({ role: turn.role, parts: [{ text: turn.text }] }))
}

/**
 * What to do with each chunk as it arrives, called synchronously from the read loop (no async generator in
 * between: issue 11 measured the chained ones at about 8% of the relay's CPU). Returning false stops reading.
 */
export type ChunkHandler = (chunk: RawChunk) => boolean

/**
 * Streams one reply, handing each chunk to `onChunk`; resolves when the body has ended or `onChunk` stopped it.
 * Rejects with whatever the SDK throws (classify it with classifySdkError); never leaves the SDK's aggregate
 * `response` promise to reject unhandled. `onWaiting(true)` is called whenever it starts waiting on the network
 * and `onWaiting(false)` when something arrived, so an idle timer runs only while waiting.
 */
export async function streamSdk(params: SdkStreamParams, onChunk: ChunkHandler, onWaiting: (waiting: boolean) => void): Promise<void> {
  // The SDK only listens for a *future* abort: a signal that is already aborted would not stop the fetch.
  if (params.signal.aborted) throw new GoogleGenerativeAIAbortError('Request aborted before it started')
  // Idempotent; our requests carry the transport's header, so they (and only they) go over node:http.
  installTransport()
  const model = new GoogleGenerativeAI(params.apiKey).getGenerativeModel(
    // An empty system instruction would be sent as an empty text part, which Gemini rejects.
    params.systemInstruction.trim() === '' ? { model: params.model } : { model: params.model, systemInstruction: params.systemInstruction },
    // No `timeout`: the SDK's timer covers the whole stream and is never cleared; client.ts runs an idle timer.
    // The SDK joins without normalising, so a stray trailing slash would give `//v1beta` and a 404.
    { customHeaders: transportHeaders, ...(params.baseUrl ? { baseUrl: params.baseUrl.replace(/\/+$/, '') } : {}) },
  )
  onWaiting(true)
  const result = await model.generateContentStream({ contents: toContents(params.turns) }, { signal: params.signal })
  // `stream` and `response` are two branches of one tee()'d body: when the body fails, `response` rejects as
  // well, and nobody else ever awaits it.
  result.response.catch(() => undefined)
  for await (const response of result.stream) {
    onWaiting(false)
    if (!onChunk(toRawChunk(response))) return
    onWaiting(true)
  }
  onWaiting(false)
}

// Reads the fields directly rather than through `chunk.text()`, which throws for blocked candidates and
// would hide the finishReason we need to report.
function toRawChunk(response: GenerateContentResponse): RawChunk {
  const candidate = response.candidates?.[0]
  let text = ''
  for (const part of candidate?.content?.parts ?? []) {
    // Thought summaries (Gemini 2.5 with includeThoughts) are not part of the reply.
    if (typeof part.text === 'string' && (part as { thought?: unknown }).thought !== true) text += part.text
  }
  const usage = response.usageMetadata
  return {
    text,
    usage: usage
      ? {
          promptTokens: usage.promptTokenCount ?? null,
          outputTokens: usage.candidatesTokenCount ?? null,
          totalTokens: usage.totalTokenCount ?? null,
        }
      : null,
    finishReason: candidate?.finishReason ?? null,
    blockReason: response.promptFeedback?.blockReason ?? null,
  }
}

export interface ClassifyContext {
  apiKey: string
  model: string
  /** Whether text had already arrived: changes how a lost connection is described. */
  midStream: boolean
}

/** Turns anything the SDK (or fetch beneath it) threw into a DraftError whose message never holds the key. */
export function classifySdkError(err: unknown, ctx: ClassifyContext): DraftError {
  if (err instanceof GoogleGenerativeAIFetchError && typeof err.status === 'number') {
    return classifyHttp(err.status, err.errorDetails ?? [], serverMessage(err), ctx)
  }
  // Callers that know *why* a request was aborted (user, idle timer) decide before asking us.
  if (err instanceof GoogleGenerativeAIAbortError || (err instanceof Error && err.name === 'AbortError')) {
    return errors.cancelled()
  }
  if (err instanceof GoogleGenerativeAIRequestInputError) {
    return errors.rejectedRequest(undefined, errors.scrubKey(withoutSdkPrefix(err.message), ctx.apiKey))
  }
  if (err instanceof GoogleGenerativeAIResponseError) return errors.replyBlocked('SAFETY')
  if (err instanceof GoogleGenerativeAIError) {
    // "Failed to parse stream" (bytes left that are not an event, e.g. a raw `{"error":...}` line) and
    // "Error parsing JSON response" both mean the body was not the SSE we expect.
    if (/Failed to parse stream|Error parsing JSON response/.test(err.message)) return errors.unreadableReply()
    // "Error fetching from <url>: fetch failed" (refused, reset, DNS) and "Error reading from the stream".
    return errors.network(ctx.midStream)
  }
  if (err instanceof TypeError || hasNetworkCode(err)) return errors.network(ctx.midStream)
  const detail = err instanceof Error ? err.message : String(err)
  return {
    kind: 'network',
    retryable: true,
    message: `Something went wrong while talking to Gemini: ${errors.scrubKey(detail, ctx.apiKey).slice(0, 300)}`,
  }
}

function classifyHttp(status: number, details: ErrorDetails[], message: string, ctx: ClassifyContext): DraftError {
  const reasons = details.map((d) => d.reason)
  if (reasons.includes('API_KEY_INVALID') || status === 401) return errors.badApiKey(status)
  if (status === 403) return errors.permissionDenied(status)
  if (status === 404) return errors.unknownModel(ctx.model, status)
  if (status === 429) {
    const retryInfo = details.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))
    return errors.quota(status, errors.parseRetryDelay(retryInfo?.retryDelay))
  }
  if (status === 408 || status === 504) return errors.serverTimeout(status)
  if (status >= 500) return errors.overloaded(status)
  return errors.rejectedRequest(status, errors.scrubKey(message, ctx.apiKey).slice(0, 300))
}

const SDK_PREFIX = '[GoogleGenerativeAI Error]: '
const withoutSdkPrefix = (message: string): string => (message.startsWith(SDK_PREFIX) ? message.slice(SDK_PREFIX.length) : message)

/**
 * Google's own message out of the SDK's "Error fetching from <url>: [400 Bad Request] <message> <details>",
 * without the URL (useless to an agent) or the details JSON (already classified).
 */
function serverMessage(err: GoogleGenerativeAIFetchError): string {
  let text = err.message
  const marker = `[${err.status ?? ''} ${err.statusText ?? ''}] `
  const at = text.indexOf(marker)
  text = at >= 0 ? text.slice(at + marker.length) : withoutSdkPrefix(text)
  if (err.errorDetails) {
    const suffix = ` ${JSON.stringify(err.errorDetails)}`
    if (text.endsWith(suffix)) text = text.slice(0, -suffix.length)
  }
  return text.trim()
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET'])

function hasNetworkCode(err: unknown): boolean {
  // fetch hides the system error in `cause`, sometimes two levels down.
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true
  }
  return false
}
