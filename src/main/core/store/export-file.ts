// The JSON export's shape (issue 9): what exportConversations writes and importConversations reads back. Ids are
// the exporting machine's own; `uid` is the conversation's stable id, which an import matches on. Checked with zod
// on import, so a damaged or foreign file is refused before anything is written.
import { z } from 'zod'
import { MESSAGE_ROLES, MESSAGE_STATUSES } from '../../../shared/domain'
import { EXPORT_FILE_FORMAT, EXPORT_FILE_VERSION, TAG_COLORS } from '../../../shared/review'
import { MESSAGE_KINDS } from '../../../shared/steering'

const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'must be an ISO 8601 UTC time')
const count = z.number().int().nonnegative().nullable()
const id = z.number().int().positive()

export const exportedMessage = z.object({
  id,
  role: z.enum(MESSAGE_ROLES),
  text: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  source: z.string().min(1),
  model: z.string().nullable(),
  kind: z.enum(MESSAGE_KINDS),
  instruction: z.string().nullable(),
  usage: z.object({ promptTokens: count, outputTokens: count, totalTokens: count }),
  firstTokenMs: count,
  durationMs: count,
  finishReason: z.string().nullable(),
  errorKind: z.string().nullable(),
  errorMessage: z.string().nullable(),
  feedback: z.object({ rating: z.enum(['up', 'down']), reason: z.string().nullable(), at: iso }).nullable(),
  sources: z.array(z.object({ n: id, passageId: id, path: z.string(), title: z.string(), heading: z.array(z.string()), text: z.string() })),
  createdAt: iso,
  updatedAt: iso,
  /** On an agent's reply: the draft (an id in this file) it came from, and how much it was changed. */
  usedDraftId: id.nullable(),
  editDistance: z.number().int().nonnegative().nullable(),
  similarity: z.number().min(0).max(1).nullable(),
})
export type ExportedMessage = z.infer<typeof exportedMessage>

export const exportedConversation = z.object({
  uid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID'),
  id,
  title: z.string().min(1),
  source: z.string().min(1),
  createdAt: iso,
  updatedAt: iso,
  summary: z.string().nullable(),
  tags: z.array(z.object({ name: z.string().trim().min(1), color: z.enum(TAG_COLORS) })),
  messages: z.array(exportedMessage),
})
export type ExportedConversation = z.infer<typeof exportedConversation>

export const exportFile = z.object({
  format: z.literal(EXPORT_FILE_FORMAT, { message: `this is not a Support Console export (format must be "${EXPORT_FILE_FORMAT}")` }),
  version: z.literal(EXPORT_FILE_VERSION, { message: `this export's version is not one this Support Console reads (${EXPORT_FILE_VERSION})` }),
  exportedAt: iso,
  conversations: z.array(exportedConversation),
})
export type ExportFile = z.infer<typeof exportFile>
