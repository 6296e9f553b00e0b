// A draft as OpenAI's Chat Completions objects: the whole `chat.completion`, or its `chat.completion.chunk`s.
// Pure, so the mapping (finish reasons above all) is tested without a server.
import type { TokenUsage } from '../../../../shared/domain'
import type { GenerationEvent } from '../../../../shared/generation-events'

export type EndEvent = Extract<GenerationEvent, { type: 'end' }>

/** OpenAI's finish reasons that a draft can have (no tools, so never `tool_calls`). */
export type FinishReason = 'stop' | 'length' | 'content_filter'

/**
 * How a draft's end reads to an OpenAI client. `stop` only for a whole reply (Gemini's STOP); `length` for any
 * reply that is not whole although Gemini did not refuse (MAX_TOKENS, a stream that ended early, another reason):
 * it is the reason OpenAI clients read as "the text is cut off". `content_filter` when Gemini blocked it (SAFETY,
 * RECITATION, a blocked prompt...). Undefined when there is no reply to finish: the draft failed or was stopped,
 * which the client gets as an error instead (errors.ts draftFailure), never as a finished answer.
 */
export function finishReasonOf(end: EndEvent): FinishReason | undefined {
  switch (end.status) {
    case 'complete':
      return 'stop'
    case 'truncated':
      return 'length'
    case 'blocked':
      return 'content_filter'
    case 'error':
    case 'stopped':
      return undefined
  }
}

/** Who the answer is: the same on every chunk of one reply. */
export interface CompletionIdentity {
  /** `chatcmpl-<message id>`: the draft in the transcript. */
  id: string
  created: number
  /** The Gemini model that wrote it (whatever the request named). */
  model: string
  conversationId: number
  messageId: number
}

export interface OpenAiUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** OpenAI's usage has numbers only: a count Gemini did not report is 0. */
export function usageOf(usage: TokenUsage | undefined): OpenAiUsage {
  const prompt = usage?.promptTokens ?? 0
  const output = usage?.outputTokens ?? 0
  return { prompt_tokens: prompt, completion_tokens: output, total_tokens: usage?.totalTokens ?? prompt + output }
}

/**
 * The conversation and draft, as strings like OpenAI's `metadata`: pass `metadata.conversation_id` back to
 * continue the conversation. Clients keep fields they do not know.
 */
const metadataOf = (identity: CompletionIdentity): Record<string, string> => ({
  conversation_id: String(identity.conversationId),
  message_id: String(identity.messageId),
})

/** What a completion and each of its chunks carry around their choices (and usage), in OpenAI's key order. */
function envelope(
  identity: CompletionIdentity,
  object: 'chat.completion' | 'chat.completion.chunk',
  body: { choices: object[]; usage?: object | null },
): object {
  return {
    id: identity.id,
    object,
    created: identity.created,
    model: identity.model,
    system_fingerprint: null,
    ...body,
    metadata: metadataOf(identity),
  }
}

export function completion(identity: CompletionIdentity, text: string, finishReason: FinishReason, usage: TokenUsage | undefined): object {
  return envelope(identity, 'chat.completion', {
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finishReason }],
    usage: usageOf(usage),
  })
}

/** What one chunk carries: the role (first chunk), text, or the finish reason (last chunk of the choice). */
export interface ChunkContent {
  role?: 'assistant'
  content?: string
  finishReason?: FinishReason
}

/**
 * One `chat.completion.chunk`. With `include_usage`, every chunk has `usage: null` and a last one (no choices)
 * carries the usage, as OpenAI sends them.
 */
export function chunk(identity: CompletionIdentity, content: ChunkContent, includeUsage: boolean): object {
  const delta: Record<string, string> = {}
  if (content.role) delta.role = content.role
  if (content.content !== undefined) delta.content = content.content
  return envelope(identity, 'chat.completion.chunk', {
    choices: [{ index: 0, delta, logprobs: null, finish_reason: content.finishReason ?? null }],
    ...(includeUsage ? { usage: null } : {}),
  })
}

export function usageChunk(identity: CompletionIdentity, usage: TokenUsage | undefined): object {
  return envelope(identity, 'chat.completion.chunk', { choices: [], usage: usageOf(usage) })
}
