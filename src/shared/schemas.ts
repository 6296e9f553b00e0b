// Schemas for every input that crosses a trust boundary (HTTP query and body, IPC payloads).
import { z } from 'zod'
import { APP_SOURCE } from './domain'
import { MAX_MESSAGE_CHARS, MAX_PAGE_SIZE, MAX_SOURCE_CHARS } from './limits'

const id = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER)

export const messageText = z
  .string({ message: 'message is required' })
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

export const conversationId = id

/** An id as IPC carries it: a number already, so '1' or true is refused rather than coerced. */
export const strictId = z.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER)

export const listQuery = z.object({
  q: z.string().max(500, 'q is longer than 500 characters').optional(),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`).optional(),
  cursor: z.string().max(200, 'cursor is not valid').optional(),
})
export type ListQuery = z.infer<typeof listQuery>

/** The first problem in a failed parse, as one sentence for an error body. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid input'
  const field = issue.path.join('.')
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message
}

// Inputs of the renderer-facing API (src/shared/api.ts), checked in main for IPC and in the server for HTTP.
export const title = z.string().trim().min(1, 'title must not be empty').max(200, 'title is longer than 200 characters')
export const replyText = z
  .string({ message: 'text is required' })
  .refine((s) => s.trim().length > 0, 'text must not be empty')
  .refine((s) => s.length <= MAX_MESSAGE_CHARS * 2, `text is longer than ${MAX_MESSAGE_CHARS * 2} characters`)
export const exportFormat = z.enum(['markdown', 'json'])
export const createConversationInput = z.object({ title: title.optional() }).strict()
export const settingsUpdate = z
  .object({
    model: z.string().trim().regex(/^(?:models\/|tunedModels\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/, 'model is not a valid model name').max(100),
    systemInstruction: z.string().max(20_000, 'the persona is longer than 20,000 characters'),
    allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'each allowed origin must look like https://helpdesk.example.com')).max(50),
    apiKey: z.string().trim().min(10, 'that does not look like an API key').max(200).nullable(),
  })
  .partial()
  .strict()
