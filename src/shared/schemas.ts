// Schemas for every input that crosses a trust boundary (API arguments from IPC and HTTP, integrations' chat
// requests). Their limits are in limits.ts; the API's methods pick their argument schemas in api-contract.ts.
import { z } from 'zod'
import { APP_SOURCE } from './domain'
import {
  MAX_ALLOWED_ORIGINS,
  MAX_API_KEY_CHARS,
  MAX_CURSOR_CHARS,
  MAX_KB_DIR_CHARS,
  MAX_KB_PASSAGES,
  MAX_KB_TOKEN_BUDGET,
  MAX_MESSAGE_CHARS,
  MAX_MODEL_NAME_CHARS,
  MAX_PAGE_SIZE,
  MAX_PERSONA_CHARS,
  MAX_PORT,
  MAX_REPLY_CHARS,
  MAX_SEARCH_CHARS,
  MAX_SOURCE_CHARS,
  MAX_TITLE_CHARS,
  MIN_API_KEY_CHARS,
  MIN_KB_PASSAGES,
  MIN_KB_TOKEN_BUDGET,
} from './limits'
import {
  MAX_FEEDBACK_REASON_CHARS,
  MAX_INSTRUCTION_CHARS,
  MAX_LANGUAGE_NAME_CHARS,
  MAX_SHORTCUT_CHARS,
  MAX_SNIPPET_BODY_CHARS,
  MAX_SNIPPET_TITLE_CHARS,
  MAX_SNIPPETS,
  MAX_SNIPPETS_FILE_CHARS,
} from './limits'
import { REWRITE_STYLES, SNIPPETS_FILE_VERSION } from './steering'

const id = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER)

/** "x is required" when the value is missing, "x must be text" when it is something else. */
const text = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be text`) })

export const messageText = text('message')
  .refine((s) => s.trim().length > 0, 'message must not be empty')
  .refine((s) => s.length <= MAX_MESSAGE_CHARS, `message is longer than ${MAX_MESSAGE_CHARS} characters`)

export const sourceName = z
  .string()
  .trim()
  .min(1, 'source must not be empty')
  .max(MAX_SOURCE_CHARS, `source is longer than ${MAX_SOURCE_CHARS} characters`)
  .regex(/^[\p{L}\p{N} ._:/@+-]+$/u, 'source may hold letters, digits, spaces and . _ : / @ + - only')

/** A chat request from an integration: `GET /chat/stream?message=` or a JSON body. */
export const chatRequest = z.object({
  message: messageText,
  conversationId: id.optional(),
  source: sourceName.default(APP_SOURCE),
})
export type ChatRequest = z.infer<typeof chatRequest>

/** An id from a URL (a string of digits is read as the number). */
export const conversationId = id

/**
 * A conversation id as an API argument: a number already, so '1' or true is refused rather than coerced (the REST
 * routes turn a path's digits into the number before the API sees them).
 */
export const conversationIdArg = z
  .number({ message: 'conversation id must be a number' })
  .int('conversation id must be a whole number')
  .positive('conversation id must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'conversation id is too large')

/** What a list is searched for (`q`): the conversation list's full-text search, the snippet search. */
export const searchText = z.string().max(MAX_SEARCH_CHARS, `q is longer than ${MAX_SEARCH_CHARS} characters`)

/** A page of a keyset-paged list: how many rows, and where the previous page stopped. Lists add their own filters to it. */
export const paging = z.object({
  // Coerced: over HTTP the page size arrives as query-string text.
  limit: z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)
    .optional(),
  cursor: z.string().max(MAX_CURSOR_CHARS, 'cursor is not valid').optional(),
})
export type Paging = z.output<typeof paging>

export const title = text('title').trim().min(1, 'title must not be empty').max(MAX_TITLE_CHARS, `title is longer than ${MAX_TITLE_CHARS} characters`)

export const replyText = text('text')
  .refine((s) => s.trim().length > 0, 'text must not be empty')
  .refine((s) => s.length <= MAX_REPLY_CHARS, `text is longer than ${MAX_REPLY_CHARS} characters`)

/** Without one (GET .../export), a transcript is exported as Markdown. */
export const exportFormat = z.enum(['markdown', 'json'], { message: 'format must be "markdown" or "json"' }).default('markdown')

export const createConversationInput = z.object({ title: title.optional() }).strict()

export const settingsUpdate = z
  .object({
    model: z
      .string()
      .trim()
      .regex(/^(?:models\/|tunedModels\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/, 'model is not a valid model name')
      .max(MAX_MODEL_NAME_CHARS, `model is longer than ${MAX_MODEL_NAME_CHARS} characters`),
    systemInstruction: z.string().max(MAX_PERSONA_CHARS, `the persona is longer than ${MAX_PERSONA_CHARS.toLocaleString('en')} characters`),
    allowedOrigins: z
      .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'each allowed origin must look like https://helpdesk.example.com'))
      .max(MAX_ALLOWED_ORIGINS, `at most ${MAX_ALLOWED_ORIGINS} allowed origins`),
    apiKey: z
      .string()
      .trim()
      .min(MIN_API_KEY_CHARS, 'that does not look like an API key')
      .max(MAX_API_KEY_CHARS, 'that does not look like an API key')
      .nullable(),
    port: z
      .number({ error: 'the port must be a number' })
      .int('the port must be a whole number')
      .min(0, `the port must be between 0 and ${MAX_PORT}`)
      .max(MAX_PORT, `the port must be between 0 and ${MAX_PORT}`),
    /** An absolute path, or null to turn the knowledge base off. */
    knowledgeBaseDir: z
      .string()
      .trim()
      .max(MAX_KB_DIR_CHARS, `the knowledge-base folder path is longer than ${MAX_KB_DIR_CHARS} characters`)
      // POSIX, a Windows drive or a UNC share: a relative path would depend on where the console was started.
      .regex(/^(?:\/|[A-Za-z]:[\\/]|\\\\)/, 'the knowledge-base folder must be an absolute path')
      .nullable(),
    kbPassages: z
      .number({ error: 'the number of passages must be a number' })
      .int('the number of passages must be a whole number')
      .min(MIN_KB_PASSAGES, `the number of passages must be between ${MIN_KB_PASSAGES} and ${MAX_KB_PASSAGES}`)
      .max(MAX_KB_PASSAGES, `the number of passages must be between ${MIN_KB_PASSAGES} and ${MAX_KB_PASSAGES}`),
    kbTokenBudget: z
      .number({ error: 'the token budget must be a number' })
      .int('the token budget must be a whole number')
      .min(MIN_KB_TOKEN_BUDGET, `the token budget must be between ${MIN_KB_TOKEN_BUDGET} and ${MAX_KB_TOKEN_BUDGET}`)
      .max(MAX_KB_TOKEN_BUDGET, `the token budget must be between ${MIN_KB_TOKEN_BUDGET} and ${MAX_KB_TOKEN_BUDGET}`),
  })
  .partial()
  .strict()

// Steering a draft (steering.ts): rewrites, snippets, feedback.

/** A positive whole number given as an API argument, named in the messages. */
const idArg = (what: string) =>
  z
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`)
    .max(Number.MAX_SAFE_INTEGER, `${what} is too large`)

export const messageIdArg = idArg('message id')
export const snippetIdArg = idArg('snippet id')

/** Letters and the punctuation language names use: the name goes into the instruction sent to Gemini. */
const languageName = z
  .string({ message: 'language must be text' })
  .trim()
  .min(1, 'language must not be empty')
  .max(MAX_LANGUAGE_NAME_CHARS, `language is longer than ${MAX_LANGUAGE_NAME_CHARS} characters`)
  .regex(/^[\p{L}\p{M} ()'-]+$/u, 'language must be a language’s name, such as German')

export const rewriteInstruction = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.enum(REWRITE_STYLES) }).strict(),
    z.object({ kind: z.literal('translate'), language: languageName }).strict(),
    z
      .object({
        kind: z.literal('custom'),
        text: text('instruction')
          .trim()
          .min(1, 'instruction must not be empty')
          .max(MAX_INSTRUCTION_CHARS, `instruction is longer than ${MAX_INSTRUCTION_CHARS} characters`),
      })
      .strict(),
  ],
  { error: 'instruction must be one of friendlier, formal, shorter, detailed, grammar, translate (with a language) or custom (with text)' },
)

export const rewriteInput = z.object({ text: replyText, instruction: rewriteInstruction }).strict()

const snippetTitle = text('title')
  .trim()
  .min(1, 'title must not be empty')
  .max(MAX_SNIPPET_TITLE_CHARS, `title is longer than ${MAX_SNIPPET_TITLE_CHARS} characters`)
const snippetBody = text('body')
  .refine((s) => s.trim().length > 0, 'body must not be empty')
  .refine((s) => s.length <= MAX_SNIPPET_BODY_CHARS, `body is longer than ${MAX_SNIPPET_BODY_CHARS} characters`)
/** Typed after `/` in the reply box, so no spaces or slashes; an empty one means none. */
const shortcut = z
  .string({ message: 'shortcut must be text' })
  .trim()
  .max(MAX_SHORTCUT_CHARS, `shortcut is longer than ${MAX_SHORTCUT_CHARS} characters`)
  .regex(/^[\p{L}\p{N}_.-]*$/u, 'shortcut may hold letters, digits and - _ . only')
  .transform((s) => (s === '' ? null : s))
  .nullable()

export const newSnippet = z.object({ title: snippetTitle, body: snippetBody, shortcut: shortcut.optional() }).strict()
export const snippetUpdate = z.object({ title: snippetTitle, body: snippetBody, shortcut }).partial().strict()
export const snippetQuery = z.object({ q: searchText.optional() })
export const snippetsFileText = text('json').max(MAX_SNIPPETS_FILE_CHARS, `the file is longer than ${MAX_SNIPPETS_FILE_CHARS} characters`)

/** The exported snippets file (SnippetsFile), as importSnippets reads it. */
export const snippetsFile = z.object({
  version: z.literal(SNIPPETS_FILE_VERSION, { error: `this is not a snippets file of version ${SNIPPETS_FILE_VERSION}` }),
  snippets: z
    .array(z.object({ title: snippetTitle, body: snippetBody, shortcut: shortcut.optional() }))
    .max(MAX_SNIPPETS, `a snippets file holds at most ${MAX_SNIPPETS} snippets`),
})

export const draftFeedback = z
  .object({
    rating: z.enum(['up', 'down'], { error: 'rating must be "up", "down" or null' }).nullable(),
    reason: z
      .string({ message: 'reason must be text' })
      .trim()
      .max(MAX_FEEDBACK_REASON_CHARS, `reason is longer than ${MAX_FEEDBACK_REASON_CHARS} characters`)
      .transform((s) => (s === '' ? null : s))
      .nullable()
      .optional(),
  })
  .strict()

/** The first problem in a failed parse, as one sentence for an error body. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid input'
  const field = issue.path.join('.')
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message
}
