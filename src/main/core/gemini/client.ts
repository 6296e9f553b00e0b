// The Gemini implementation of ReplyModel: one draft = one async generator of ReplyEvents. It owns what the SDK
// does not: retrying transient failures before any text arrived, an idle timer that notices a silent stream,
// and turning every outcome (including aborts) into exactly one closing `end` or `error` event.
import type { DraftError, TokenUsage } from '../../../shared/domain'
import * as errors from './errors'
import { nextRetryDelay, type RetryPolicy } from './retry'
import { classifySdkError, openSdkStream } from './sdk-stream'
import type { GeminiClientOptions, ReplyEvent, ReplyModel, ReplyRequest, Turn } from './types'

export interface GeminiClientDeps {
  /** Source for backoff jitter, in [0, 1). */
  random?: () => number
}

type AttemptResult =
  | { ok: true; finishReason: string | null }
  | { ok: false; error: DraftError; finishReason: string | null; sentText: boolean }

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

  streamReply(request: ReplyRequest): AsyncIterable<ReplyEvent> {
    return this.run(request)
  }

  private async *run(request: ReplyRequest): AsyncGenerator<ReplyEvent, void, undefined> {
    const apiKey = this.options.apiKey()?.trim()
    const fail = (error: DraftError, finishReason: string | null = null): ReplyEvent => ({
      type: 'error',
      error,
      finishReason,
    })
    if (!apiKey) return yield fail(errors.noApiKey())
    if (!MODEL_NAME.test(request.model)) {
      return yield fail(errors.rejectedRequest(undefined, `"${request.model}" is not a valid model name.`))
    }
    // Gemini rejects empty text parts; a draft that failed before any text leaves exactly such a turn.
    const turns = request.turns.filter((t) => t.text.trim() !== '')
    if (turns.length === 0) return yield fail(errors.rejectedRequest(undefined, 'the conversation has no text yet.'))

    try {
      for (let retriesDone = 0; ; retriesDone++) {
        if (request.signal.aborted) return yield fail(errors.cancelled())
        const result: AttemptResult = yield* this.attempt(request, apiKey, turns)
        if (result.ok) return yield { type: 'end', finishReason: result.finishReason }
        // Once text reached the listeners a new attempt would repeat or contradict it: report and stop.
        const delay =
          result.sentText || request.signal.aborted
            ? null
            : nextRetryDelay(this.policy, retriesDone, result.error, this.random)
        if (delay === null) return yield fail(result.error, result.finishReason)
        if (!(await sleep(delay, request.signal))) return yield fail(errors.cancelled())
      }
    } catch (err) {
      // Nothing above should throw; if something does, the contract still holds: one closing error event.
      const detail = err instanceof Error ? err.message : String(err)
      return yield fail({
        kind: 'network',
        retryable: true,
        message: `Something went wrong while drafting: ${errors.scrubKey(detail, apiKey)}`,
      })
    }
  }

  /** One HTTP request. Yields text and usage; returns how it ended instead of yielding end/error itself. */
  private async *attempt(
    request: ReplyRequest,
    apiKey: string,
    turns: Turn[],
  ): AsyncGenerator<ReplyEvent, AttemptResult, undefined> {
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
    const failed = (error: DraftError): AttemptResult => ({ ok: false, error, finishReason, sentText })

    const stream = openSdkStream({
      apiKey,
      baseUrl: this.options.baseUrl,
      model: request.model,
      systemInstruction: request.systemInstruction,
      turns,
      signal: controller.signal,
    })
    try {
      for (;;) {
        arm()
        const next = await stream.next()
        disarm()
        if (request.signal.aborted) return failed(errors.cancelled())
        if (next.done) return { ok: true, finishReason }
        const chunk = next.value
        if (chunk.finishReason) finishReason = chunk.finishReason
        if (chunk.text) {
          sentText = true
          yield { type: 'text', text: chunk.text }
        }
        if (chunk.usage && !sameUsage(chunk.usage, lastUsage)) {
          lastUsage = chunk.usage
          yield { type: 'usage', usage: chunk.usage }
        }
        if (chunk.blockReason) return failed(errors.promptBlocked(chunk.blockReason))
        if (finishReason && errors.BLOCKING_FINISH_REASONS.has(finishReason)) {
          return failed(errors.replyBlocked(finishReason))
        }
      }
    } catch (err) {
      if (request.signal.aborted) return failed(errors.cancelled())
      if (idleFired) return failed(errors.idleTimeout(idleMs))
      return failed(classifySdkError(err, { apiKey, model: request.model, midStream: sentText }))
    } finally {
      disarm()
      request.signal.removeEventListener('abort', forwardAbort)
      // Ends the HTTP request when we stopped early (blocked, consumer gone); a no-op after a complete body.
      controller.abort()
      stream.return(undefined).catch(() => undefined)
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
