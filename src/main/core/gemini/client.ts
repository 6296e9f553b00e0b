// The Gemini implementation of ReplyModel: one draft = one sequence of ReplyEvents, handed to a callback as they
// arrive (deliverReply; streamReply is the same as an async iterable). It owns what the SDK does not: retrying
// transient failures before any text arrived, an idle timer that notices a silent stream, and turning every
// outcome (including aborts) into exactly one closing `end` or `error` event.
import type { DraftError, TokenUsage } from '../../../shared/domain'
import * as errors from './errors'
import type { RawChunk } from './sdk-stream'
import { replyIterable } from './reply-iterable'
import { nextRetryDelay, type RetryPolicy } from './retry'
import { classifySdkError, streamSdk } from './sdk-stream'
import type { GeminiClientOptions, ReplyEvent, ReplyModel, ReplyRequest, ReplySink, Turn } from './types'

export interface GeminiClientDeps {
  /** Source for backoff jitter, in [0, 1). */
  random?: () => number
}

type AttemptResult = { ok: true; finishReason: string | null } | { ok: false; error: DraftError; finishReason: string | null; sentText: boolean }

// Model ids as Gemini names them ("gemini-2.5-flash", "models/...", "tunedModels/..."); anything else would
// end up in the URL path.
const MODEL_NAME = /^(?:models\/|tunedModels\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/

export class GeminiClient implements ReplyModel {
  private readonly policy: RetryPolicy
  private readonly random: () => number

  constructor(
    private readonly options: GeminiClientOptions,
    deps: GeminiClientDeps = {},
  ) {
    this.policy = {
      maxRetries: Math.max(0, options.maxRetries),
      baseDelayMs: options.retryBaseDelayMs,
      maxDelayMs: options.maxRetryDelayMs,
    }
    this.random = deps.random ?? Math.random
  }

  /** The events as an async iterable; stopping early (break) aborts the request. */
  streamReply(request: ReplyRequest): AsyncIterable<ReplyEvent> {
    return replyIterable((r, sink) => this.deliverReply(r, sink), request)
  }

  /** Hands each event to `sink` as it happens, the closing one last; resolves after it. Never rejects. */
  async deliverReply(request: ReplyRequest, sink: ReplySink): Promise<void> {
    const apiKey = this.options.apiKey()?.trim()
    const fail = (error: DraftError, finishReason: string | null = null): void => sink({ type: 'error', error, finishReason })
    if (!apiKey) return fail(errors.noApiKey())
    if (!MODEL_NAME.test(request.model)) {
      return fail(errors.rejectedRequest(undefined, `"${request.model}" is not a valid model name.`))
    }
    // Gemini rejects empty text parts; a draft that failed before any text leaves exactly such a turn.
    const turns = request.turns.filter((t) => t.text.trim() !== '')
    if (turns.length === 0) return fail(errors.rejectedRequest(undefined, 'the conversation has no text yet.'))

    try {
      for (let retriesDone = 0; ; retriesDone++) {
        if (request.signal.aborted) return fail(errors.cancelled())
        const result = await this.attempt(request, apiKey, turns, sink)
        if (result.ok) return sink({ type: 'end', finishReason: result.finishReason })
        // Once text reached the listeners a new attempt would repeat or contradict it: report and stop.
        const delay = result.sentText || request.signal.aborted ? null : nextRetryDelay(this.policy, retriesDone, result.error, this.random)
        if (delay === null) return fail(result.error, result.finishReason)
        if (!(await sleep(delay, request.signal))) return fail(errors.cancelled())
      }
    } catch (err) {
      // Nothing above should throw; if something does, the contract still holds: one closing error event.
      const detail = err instanceof Error ? err.message : String(err)
      return fail({
        kind: 'network',
        retryable: true,
        message: `Something went wrong while drafting: ${errors.scrubKey(detail, apiKey)}`,
      })
    }
  }

  /** One HTTP request. Delivers text and usage; returns how it ended instead of delivering end/error itself. */
  private async attempt(request: ReplyRequest, apiKey: string, turns: Turn[], sink: ReplySink): Promise<AttemptResult> {
    // A controller per attempt: the user's signal and the idle timer both end this request, and only this one.
    const controller = new AbortController()
    const forwardAbort = (): void => controller.abort()
    request.signal.addEventListener('abort', forwardAbort, { once: true })

    const idleMs = this.options.idleTimeoutMs
    let idleFired = false
    let timer: NodeJS.Timeout | undefined
    // Armed only while waiting on the network, so a slow consumer of this generator is never taken for a
    // silent server.
    const arm = (): void => {
      if (idleMs > 0) {
        timer = setTimeout(() => {
          idleFired = true
          controller.abort()
        }, idleMs)
      }
    }
    const disarm = (): void => clearTimeout(timer)

    let sentText = false
    let finishReason: string | null = null
    let lastUsage: TokenUsage | null = null
    /** Set when a chunk ends the attempt early (aborted, blocked). */
    let outcome: AttemptResult | undefined
    const failed = (error: DraftError): AttemptResult => ({ ok: false, error, finishReason, sentText })

    const onChunk = (chunk: RawChunk): boolean => {
      if (request.signal.aborted) {
        outcome = failed(errors.cancelled())
        return false
      }
      if (chunk.finishReason) finishReason = chunk.finishReason
      if (chunk.text) {
        sentText = true
        sink({ type: 'text', text: chunk.text })
      }
      if (chunk.usage && !sameUsage(chunk.usage, lastUsage)) {
        lastUsage = chunk.usage
        sink({ type: 'usage', usage: chunk.usage })
      }
      if (chunk.blockReason) outcome = failed(errors.promptBlocked(chunk.blockReason))
      else if (finishReason && errors.BLOCKING_FINISH_REASONS.has(finishReason)) outcome = failed(errors.replyBlocked(finishReason))
      return outcome === undefined
    }
    const params = {
      apiKey,
      baseUrl: this.options.baseUrl,
      model: request.model,
      systemInstruction: request.systemInstruction,
      turns,
      signal: controller.signal,
    }
    try {
      await streamSdk(params, onChunk, (waiting) => (waiting ? arm() : disarm()))
      if (outcome) return outcome
      if (request.signal.aborted) return failed(errors.cancelled())
      return { ok: true, finishReason }
    } catch (err) {
      if (request.signal.aborted) return failed(errors.cancelled())
      if (idleFired) return failed(errors.idleTimeout(idleMs))
      return failed(classifySdkError(err, { apiKey, model: request.model, midStream: sentText }))
    } finally {
      disarm()
      request.signal.removeEventListener('abort', forwardAbort)
      // Ends the HTTP request when we stopped early (blocked, consumer gone); a no-op after a complete body.
      controller.abort()
    }
  }
}

function sameUsage(a: TokenUsage, b: TokenUsage | null): boolean {
  return b !== null && a.promptTokens === b.promptTokens && a.outputTokens === b.outputTokens && a.totalTokens === b.totalTokens
}

/** Resolves true after ms, or false as soon as the signal aborts; leaves no timer or listener behind. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
