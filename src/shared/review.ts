// Reviewing the archive offline (issue 9): filters, tags, saved filters, a conversation's timeline, statistics,
// bulk export and import, backups. The schemas check what crosses the API; the types are what it answers.
import { z } from 'zod'
import type { Conversation, ConversationHit, Message } from './domain'
import { MAX_MODEL_NAME_CHARS, MAX_SOURCE_CHARS } from './limits'
import { paging, searchText } from './schemas'

export const DRAFT_OUTCOMES = ['complete', 'stopped', 'error', 'blocked', 'interrupted', 'truncated'] as const
/** How a draft ended; 'truncated' is cut off at the output limit. */
export type DraftOutcome = (typeof DRAFT_OUTCOMES)[number]
export const FEEDBACK_FILTERS = ['up', 'down', 'none'] as const
export type FeedbackFilter = (typeof FEEDBACK_FILTERS)[number]

export const TAG_COLORS = ['gray', 'red', 'orange', 'amber', 'green', 'teal', 'blue', 'indigo', 'purple', 'pink'] as const
/** A colour of the fixed palette, by name: the UI maps each to a shade that reads in both themes. */
export type TagColor = (typeof TAG_COLORS)[number]

export const MAX_TAG_NAME_CHARS = 40
export const MAX_TAGS = 500
export const MAX_SAVED_FILTER_NAME_CHARS = 80
export const MAX_SAVED_FILTERS = 200
/** The most values one filter field may list, and the most conversations one bulk call may name. */
export const MAX_FILTER_VALUES = 50
export const MAX_BULK_IDS = 10_000
/** The largest JSON export importConversations reads, in characters. */
export const MAX_IMPORT_CHARS = 100_000_000
export const BULK_EXPORT_FORMATS = ['json', 'csv', 'markdown'] as const
export type BulkExportFormat = (typeof BULK_EXPORT_FORMATS)[number]
/** The JSON export's marker and version: a file without them is not ours. */
export const EXPORT_FILE_FORMAT = 'support-console-export'
export const EXPORT_FILE_VERSION = 1

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

const positiveId = (what: string) =>
  z.coerce
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`)
    .max(Number.MAX_SAFE_INTEGER, `${what} is too large`)

/** A list: an array (IPC) or comma-separated text (a URL query); empty items dropped, duplicates kept out. */
const list = <T extends z.ZodType>(what: string, item: T) =>
  z.preprocess(
    (value) => {
      const items = typeof value === 'string' ? value.split(',') : value
      if (!Array.isArray(items)) return items
      const cleaned = items.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)).filter((v: unknown) => v !== '')
      return [...new Set(cleaned)]
    },
    z.array(item, { message: `${what} must be a list` }).max(MAX_FILTER_VALUES, `${what} lists more than ${MAX_FILTER_VALUES} values`),
  )

const dateBound = (what: string) =>
  z
    .string({ message: `${what} must be a date` })
    .trim()
    .refine((s) => (DATE_ONLY.test(s) || ISO_TIME.test(s)) && !Number.isNaN(Date.parse(s)), `${what} must be a date (YYYY-MM-DD) or an ISO 8601 time`)

const booleanText = z.preprocess(
  (value) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value),
  z.boolean({ message: 'usedReply must be true or false' }),
)

const filterFields = {
  from: dateBound('from').optional(),
  to: dateBound('to').optional(),
  status: list('status', z.enum(DRAFT_OUTCOMES, { message: `status must be one of: ${DRAFT_OUTCOMES.join(', ')}` })).optional(),
  source: list('source', z.string().max(MAX_SOURCE_CHARS, `source is longer than ${MAX_SOURCE_CHARS} characters`)).optional(),
  tag: list('tag', positiveId('tag')).optional(),
  feedback: list('feedback', z.enum(FEEDBACK_FILTERS, { message: 'feedback must be up, down or none' })).optional(),
  model: list('model', z.string().max(MAX_MODEL_NAME_CHARS, `model is longer than ${MAX_MODEL_NAME_CHARS} characters`)).optional(),
  usedReply: booleanText.optional(),
  q: searchText.optional(),
}

/** Every field optional; fields AND together, the values of one list OR together. Unknown fields are dropped. */
export const conversationFilter = z.object(filterFields)
export type ConversationFilter = z.output<typeof conversationFilter>

/** listConversations' argument: the filter plus paging; the old `{ q, limit, cursor }` is a special case of it. */
export const conversationQuery = z.object({ ...filterFields, ...paging.shape })
export type ConversationQuery = z.output<typeof conversationQuery>

/** A list row: the conversation, its best search hit, and the ids of its tags. */
export interface ReviewConversationHit extends ConversationHit {
  tagIds: number[]
}
export interface ReviewConversationPage {
  conversations: ReviewConversationHit[]
  nextCursor: string | null
}

// Tags --------------------------------------------------------------------------------------------------------

export const tagIdArg = z
  .number({ message: 'tag id must be a number' })
  .int('tag id must be a whole number')
  .positive('tag id must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'tag id is too large')
const tagName = z
  .string({ message: 'name must be text' })
  .trim()
  .min(1, 'name must not be empty')
  .max(MAX_TAG_NAME_CHARS, `name is longer than ${MAX_TAG_NAME_CHARS} characters`)
const tagColor = z.enum(TAG_COLORS, { message: `color must be one of: ${TAG_COLORS.join(', ')}` })
/** Without a colour, a tag is gray. */
export const newTag = z.object({ name: tagName, color: tagColor.optional() }).strict()
export type NewTag = z.output<typeof newTag>
export const tagUpdate = z
  .object({ name: tagName.optional(), color: tagColor.optional() })
  .strict()
  .refine((u) => u.name !== undefined || u.color !== undefined, 'give a name or a color to change')
export type TagUpdate = z.output<typeof tagUpdate>
export const conversationIds = z
  .array(
    z
      .number({ message: 'ids must be conversation ids' })
      .int('ids must be whole numbers')
      .positive('ids must be positive')
      .max(Number.MAX_SAFE_INTEGER, 'an id is too large'),
    { message: 'ids must be a list of conversation ids' },
  )
  .min(1, 'ids must name at least one conversation')
  .max(MAX_BULK_IDS, `ids may name at most ${MAX_BULK_IDS} conversations`)

export interface Tag {
  id: number
  name: string
  color: TagColor
  conversationCount: number
  createdAt: string
}
/** How many conversations a bulk tag or untag actually changed (already tagged ones, or unknown ids, are not). */
export interface TaggingResult {
  tagId: number
  changed: number
}

// Saved filters -----------------------------------------------------------------------------------------------

export const savedFilterIdArg = z
  .number({ message: 'saved filter id must be a number' })
  .int('saved filter id must be a whole number')
  .positive('saved filter id must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'saved filter id is too large')
export const newSavedFilter = z
  .object({
    name: z
      .string({ message: 'name must be text' })
      .trim()
      .min(1, 'name must not be empty')
      .max(MAX_SAVED_FILTER_NAME_CHARS, `name is longer than ${MAX_SAVED_FILTER_NAME_CHARS} characters`),
    filter: conversationFilter,
  })
  .strict()
export interface NewSavedFilter {
  name: string
  filter: ConversationFilter
}
export interface SavedFilter {
  id: number
  name: string
  filter: ConversationFilter
  createdAt: string
  updatedAt: string
}

// The timeline --------------------------------------------------------------------------------------------------

/** How an agent's reply came from a draft: computed once, when useReply saved it. */
export interface ReplyUse {
  agentMessageId: number
  draftId: number
  /** Levenshtein distance in Unicode code points from the draft's text to the text sent (approximate above ~16M cells). */
  editDistance: number
  /** 1 − editDistance / the longer text's length: 1 is sent unchanged; rounded to 3 decimals. */
  similarity: number
}

export interface ConversationReview {
  conversation: Conversation
  tags: Tag[]
  /** Oldest first: every message and draft (rewrites, summaries, offline drafts) with metrics, sources and feedback. */
  messages: Message[]
  uses: ReplyUse[]
}

/** useReply's optional third argument: the draft the agent edited into the reply. */
export const usedDraftIdArg = z
  .number({ message: 'draft id must be a number' })
  .int('draft id must be a whole number')
  .positive('draft id must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'draft id is too large')
  .optional()

// Statistics ------------------------------------------------------------------------------------------------------

export interface ReviewStats {
  from: string | null
  to: string | null
  /** Drafts counted: kinds reply, rewrite and offline (not summaries), not streaming. */
  drafts: number
  /** UTC days that have drafts, ascending. */
  draftsPerDay: { day: string; drafts: number; used: number }[]
  used: number
  useRate: number | null
  edits: {
    count: number
    meanSimilarity: number | null
    medianSimilarity: number | null
    meanEditDistance: number | null
    medianEditDistance: number | null
  }
  outcomes: Record<DraftOutcome, number>
  rates: { stopped: number | null; error: number | null; blocked: number | null; truncated: number | null; interrupted: number | null }
  /** Nearest-rank percentiles. */
  firstTokenMs: { count: number; median: number | null; p95: number | null }
  tokensByModel: { model: string; drafts: number; promptTokens: number; outputTokens: number; totalTokens: number }[]
  topDocuments: { path: string; title: string; citations: number }[]
  feedback: { up: number; down: number; none: number }
}

// Export and import -------------------------------------------------------------------------------------------------

export const exportRequest = z
  .object({
    format: z.enum(BULK_EXPORT_FORMATS, { message: 'format must be json, csv or markdown' }),
    ids: conversationIds.optional(),
    filter: conversationFilter.optional(),
  })
  .strict()
export interface ExportRequest {
  format: BulkExportFormat
  ids?: number[]
  filter?: ConversationFilter
}

export const exportJobIdArg = z.string({ message: 'export id must be text' }).regex(/^[a-z0-9-]{1,64}$/, 'export id is not valid')
export type ExportJobState = 'running' | 'done' | 'failed' | 'cancelled'
export interface ExportJob {
  id: string
  format: BulkExportFormat
  /** Where it is written (chosen in the save dialog). */
  file: string
  state: ExportJobState
  conversationsDone: number
  conversationsTotal: number
  messagesDone: number
  bytesWritten: number
  startedAt: string
  finishedAt: string | null
  error: string | null
}

const importText = z
  .string({ message: 'json must be text' })
  .min(1, 'json must not be empty')
  .max(MAX_IMPORT_CHARS, `json is longer than ${MAX_IMPORT_CHARS} characters`)
/** An export file already parsed as JSON (it came as the request body); the importer checks the rest of it. */
const importDocument = z.looseObject({
  format: z.literal(EXPORT_FILE_FORMAT, { message: `format must be "${EXPORT_FILE_FORMAT}": send a Support Console JSON export` }),
})
export type ImportDocument = z.output<typeof importDocument>
/**
 * A JSON export to import: its text (IPC: the file the console read), or over HTTP the export file itself as the
 * body (`curl --data-binary @export.json`), or `{ "json": "<the file as text>" }`.
 */
export const importJson = z.preprocess(
  (value) => (typeof value === 'string' ? value : isWrappedText(value) ? value.json : value),
  z.union([importText, importDocument], {
    error: (issue) => (typeof issue.input === 'string' ? undefined : 'send a Support Console JSON export (the file itself, or { "json": "<file>" })'),
  }),
)

/** The JSON API's first form of the import body: the file as text under "json", nothing else. */
function isWrappedText(value: unknown): value is { json: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && 'json' in value
}
export interface ImportResult {
  /** Conversations added. */
  added: number
  /** Conversations already here (same uid), left as they are. */
  skipped: number
  /** Messages added with the added conversations. */
  messages: number
}

// Backups ----------------------------------------------------------------------------------------------------------

export const backupIdArg = z
  .string({ message: 'backup id must be text' })
  .regex(/^transcripts-[0-9TZ-]+(-manual|-scheduled)(-\d+)?\.db$/, 'backup id is not valid')
export interface BackupInfo {
  /** The backup's file name in the backup folder. */
  id: string
  file: string
  sizeBytes: number
  createdAt: string
  kind: 'manual' | 'scheduled'
}
export interface BackupSchedule {
  enabled: boolean
  intervalHours: number
  keep: number
}
export const backupScheduleUpdate = z
  .object({
    enabled: z.boolean({ message: 'enabled must be true or false' }).optional(),
    intervalHours: z
      .number()
      .int('intervalHours must be a whole number')
      .min(1, 'intervalHours must be at least 1')
      .max(720, 'intervalHours must be at most 720')
      .optional(),
    keep: z.number().int('keep must be a whole number').min(1, 'keep must be at least 1').max(100, 'keep must be at most 100').optional(),
  })
  .strict()
export type BackupScheduleUpdate = z.output<typeof backupScheduleUpdate>
export interface BackupsView {
  dir: string
  schedule: BackupSchedule
  lastBackupAt: string | null
  nextBackupAt: string | null
  /** Newest first. */
  backups: BackupInfo[]
}
export interface ArchiveCounts {
  conversations: number
  messages: number
  lastActivityAt: string | null
}
export interface BackupCheck {
  backup: BackupInfo
  ok: boolean
  problem: string | null
  schemaVersion: number | null
  contents: ArchiveCounts | null
  current: ArchiveCounts
}
export interface RestoreResult {
  restored: BackupInfo
  /** Where the current database will be kept (renamed, never overwritten) when the restore is applied. */
  keptAs: string
  restartRequired: true
}

// URLs -----------------------------------------------------------------------------------------------------------

const LIST_FIELDS = ['status', 'source', 'tag', 'feedback', 'model'] as const
/** Query parameters that hold lists: the filter's, and the export's `ids`. */
const QUERY_LIST_FIELDS: ReadonlySet<string> = new Set([...LIST_FIELDS, 'ids'])

/**
 * A URL query (its URLSearchParams) as name → value for the filter schemas. A list parameter given more than once is merged as if it were
 * comma-separated (`status=stopped&status=error` is `status=stopped,error`), so no value is silently dropped; any
 * other parameter keeps its last value. `token` is the caller's credential, never an argument, and is left out.
 */
export function queryFields(params: Iterable<[string, string]>): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [name, value] of params) {
    if (name === 'token') continue
    const before = fields[name]
    fields[name] = before !== undefined && QUERY_LIST_FIELDS.has(name) ? `${before},${value}` : value
  }
  return fields
}

/**
 * The filter as URL query parameters (name → value, lists comma-separated), for the web console's address bar,
 * links and the streaming export. Plain records rather than URLSearchParams: this module runs without DOM types.
 */
export function filterToQuery(filter: ConversationFilter): Record<string, string> {
  const params: Record<string, string> = {}
  if (filter.q) params.q = filter.q
  if (filter.from) params.from = filter.from
  if (filter.to) params.to = filter.to
  for (const field of LIST_FIELDS) {
    const values = filter[field]
    if (values && values.length > 0) params[field] = values.join(',')
  }
  if (filter.usedReply !== undefined) params.usedReply = String(filter.usedReply)
  return params
}

/** The filter URL parameters hold (e.g. Object.fromEntries(new URLSearchParams(location.search))); an invalid field is dropped, not fatal. */
export function filterFromQuery(params: Readonly<Record<string, string | undefined>>): ConversationFilter {
  const filter: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(filterFields)) {
    const raw = params[name]
    if (raw === undefined) continue
    const parsed = schema.safeParse(raw)
    if (parsed.success && parsed.data !== undefined) filter[name] = parsed.data
  }
  return filter as ConversationFilter
}

/** Path and query of the streaming export (`GET /api/export`); the web console adds its token and navigates to it. */
export function exportUrl(request: ExportRequest): string {
  const params = request.ids && request.ids.length > 0 ? { ids: request.ids.join(',') } : filterToQuery(request.filter ?? {})
  const query = Object.entries({ ...params, format: request.format })
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
  return `/api/export?${query}`
}

/** `GET /api/export`'s query: the format, and either `ids` (comma-separated) or the filter's fields. */
export const exportQuery = z.object({
  ...filterFields,
  format: z.enum(BULK_EXPORT_FORMATS, { message: 'format must be json, csv or markdown' }),
  ids: list('ids', positiveId('ids')).optional(),
})
export type ExportQuery = z.output<typeof exportQuery>
