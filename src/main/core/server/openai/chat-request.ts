// What an OpenAI Chat Completions request may hold, and how it becomes a Support Console conversation. The schema
// validates the request and is the OpenAPI description of its body (server-routes.ts), so the two cannot drift.
// What of OpenAI's format is not supported is refused here by name (a tool call ignored would be a wrong
// answer); sampling settings are accepted and ignored, because the console's own settings decide every draft.
import { z } from 'zod'
import { MAX_CHAT_COMPLETION_MESSAGES, MAX_MESSAGE_CHARS, MAX_MODEL_NAME_CHARS, MAX_REPLY_CHARS } from '../../../../shared/limits'
import { OpenAiRequestError } from './errors'

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const

const contentPart = z.looseObject({
  type: z.string().describe('Only "text" is supported.'),
  text: z.string().optional(),
})

const chatMessage = z.looseObject({
  role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional().describe('Accepted and ignored.'),
})

const ignored = (what: string): z.ZodOptional<z.ZodUnknown> =>
  z.unknown().optional().describe(`Accepted and ignored: ${what} The console's own settings decide every draft.`)

export const chatCompletionRequest = z
  .looseObject({
    model: z
      .string({ message: 'model is required' })
      .min(1, 'model must not be empty')
      .max(MAX_MODEL_NAME_CHARS)
      .describe('Any name is accepted: the draft is always written by the Gemini model set in the console, which the answer names.'),
    messages: z
      .array(chatMessage, { message: 'messages must be an array' })
      .min(1, 'messages must not be empty')
      .max(MAX_CHAT_COMPLETION_MESSAGES, `messages may hold at most ${MAX_CHAT_COMPLETION_MESSAGES} messages`)
      .describe(
        '"user" messages are the customer\'s, "assistant" messages earlier replies; "system" and "developer" messages are ignored (the console\'s persona applies). The last message that is not a system message must be from the user.',
      ),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
    metadata: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .nullish()
      .describe(
        '"conversation_id": continue that conversation (the key also needs "read"): only the trailing user messages, after the last assistant message, are added to it.',
      ),
    n: z.number().int().nullish().describe('Only 1.'),
    logprobs: z.boolean().nullish().describe('Not supported (true is refused).'),
    top_logprobs: z.number().int().nullish().describe('Not supported.'),
    tools: z.array(z.unknown()).nullish().describe('Not supported (a non-empty list is refused).'),
    functions: z.array(z.unknown()).nullish().describe('Not supported (a non-empty list is refused).'),
    tool_choice: z.unknown().optional().describe('Only "none" or "auto" (there are no tools).'),
    response_format: z.looseObject({ type: z.string() }).nullish().describe('Only {"type": "text"}.'),
    modalities: z.array(z.string()).nullish().describe('Only ["text"].'),
    audio: z.unknown().optional().describe('Not supported.'),
    temperature: ignored('the temperature.'),
    top_p: ignored('top_p.'),
    max_tokens: ignored('the output limit.'),
    max_completion_tokens: ignored('the output limit.'),
    stop: ignored('stop sequences.'),
    presence_penalty: ignored('the penalty.'),
    frequency_penalty: ignored('the penalty.'),
    seed: ignored('the seed.'),
    user: ignored("the end-user id (drafts are saved under the key's name)."),
  })
  .describe('An OpenAI Chat Completions request. Fields not listed are accepted and ignored.')

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>

/** One message of the conversation as the transcript keeps it. */
export interface TranscriptEntry {
  role: 'customer' | 'agent'
  text: string
}

/** What the route needs of a request once it is known to be one we can answer. */
export interface ChatCompletionPlan {
  stream: boolean
  includeUsage: boolean
  /** metadata.conversation_id, when the request continues a conversation. */
  conversationId: number | undefined
  /** The messages to add, oldest first; the last is the customer's, which the draft replies to. */
  entries: TranscriptEntry[]
}

/** Validates a parsed JSON body; every refusal is a 400 naming the parameter, as OpenAI's own are. */
export function planChatCompletion(body: unknown): ChatCompletionPlan {
  const parsed = chatCompletionRequest.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const param = issue ? paramOf(issue.path) : null
    throw new OpenAiRequestError(issue?.message ?? 'The request is not a Chat Completions request.', param)
  }
  const request = parsed.data
  refuseUnsupported(request)
  const conversationId = conversationIdOf(request.metadata)
  const messages = request.messages.map((message, index) => ({ index, role: message.role, text: textOf(message, index) }))
  const spoken = messages.filter((m) => m.role === 'user' || m.role === 'assistant')
  if (spoken.at(-1)?.role !== 'user') {
    throw new OpenAiRequestError(
      'The last message (other than system messages) must be a user message: the draft replies to the customer.',
      'messages',
    )
  }
  // A continued conversation already holds everything up to the reply the client got: only what the customer
  // wrote since is new. (Clients send the whole history each time; it is not compared with the transcript.)
  const lastReply = spoken.findLastIndex((m) => m.role === 'assistant')
  const added = conversationId === undefined ? spoken : spoken.slice(lastReply + 1)
  const entries = added.map(({ index, role, text }): TranscriptEntry => {
    const limit = role === 'user' ? MAX_MESSAGE_CHARS : MAX_REPLY_CHARS
    if (text.trim() === '') throw new OpenAiRequestError(`messages[${index}] has no text.`, `messages[${index}].content`)
    if (text.length > limit) throw new OpenAiRequestError(`messages[${index}] is longer than ${limit} characters.`, `messages[${index}].content`)
    return { role: role === 'user' ? 'customer' : 'agent', text }
  })
  return { stream: request.stream === true, includeUsage: request.stream_options?.include_usage === true, conversationId, entries }
}

function refuseUnsupported(request: ChatCompletionRequest): void {
  const refuse = (param: string, message: string): never => {
    throw new OpenAiRequestError(message, param, 'unsupported_parameter')
  }
  if (request.n !== undefined && request.n !== null && request.n !== 1) refuse('n', 'Only one choice is drafted: n must be 1.')
  if (request.logprobs === true || (request.top_logprobs ?? 0) > 0) refuse('logprobs', 'Log probabilities are not available.')
  if ((request.tools?.length ?? 0) > 0) refuse('tools', 'Tools (function calling) are not supported: drafts are text replies.')
  if ((request.functions?.length ?? 0) > 0) refuse('functions', 'Function calling is not supported: drafts are text replies.')
  const choice = request.tool_choice
  if (choice !== undefined && choice !== null && choice !== 'none' && choice !== 'auto') refuse('tool_choice', 'There are no tools to choose.')
  const format = request.response_format?.type
  if (format !== undefined && format !== 'text') refuse('response_format', 'Only text replies are drafted: response_format must be {"type": "text"}.')
  if (request.modalities?.some((m) => m !== 'text') || (request.audio !== undefined && request.audio !== null)) {
    refuse('modalities', 'Only text is supported.')
  }
}

function textOf(message: ChatCompletionRequest['messages'][number], index: number): string {
  if (message.role === 'tool' || message.role === 'function') {
    throw new OpenAiRequestError(
      `messages[${index}]: ${message.role} messages are not supported (there are no tools).`,
      `messages[${index}].role`,
      'unsupported_parameter',
    )
  }
  const { content } = message
  if (typeof content === 'string') return content
  if (content === undefined || content === null) return ''
  return content
    .map((part, j) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw new OpenAiRequestError(
          `messages[${index}].content[${j}] is a "${part.type}" part: only text is supported.`,
          `messages[${index}].content[${j}].type`,
          'unsupported_parameter',
        )
      }
      return part.text
    })
    .join('')
}

function conversationIdOf(metadata: ChatCompletionRequest['metadata']): number | undefined {
  const raw = metadata?.conversation_id
  if (raw === undefined) return undefined
  const id = typeof raw === 'number' ? raw : /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : NaN
  if (!Number.isSafeInteger(id) || id < 1)
    throw new OpenAiRequestError('metadata.conversation_id must be a conversation id (a positive whole number).', 'metadata.conversation_id')
  return id
}

/** A zod issue path as OpenAI names parameters: `messages[2].content`. */
function paramOf(path: readonly PropertyKey[]): string | null {
  let param = ''
  for (const step of path) param += typeof step === 'number' ? `[${step}]` : `${param ? '.' : ''}${String(step)}`
  return param || null
}
