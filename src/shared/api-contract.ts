// The renderer-facing API, declared once: each method's argument schema, result type and REST route. Everything
// else is derived from this table: the SupportConsoleApi type (api.ts), the IPC channels, the preload's methods
// and main's handlers (ipc.ts, preload-api.ts, ipc-handlers.ts), the REST routes (api-routes.ts), the web
// console's HTTP client (http-api.ts) and the argument checks at ApiService's entry (checkArguments below).
// Adding a method = a declaration here + its implementation in an area module of src/main/core/api/, which
// ApiService then serves (CONTRIBUTING.md, "Add an API method").
import { z } from 'zod'
import { ApiError, type ApiErrorCode, type ConversationEvent, type ExportedTranscript, type SettingsView } from './api-types'
import type { Conversation, ConversationDetail, Message } from './domain'
import { integrationKeyId, newIntegrationKey, type Access, type CreatedIntegrationKey, type IntegrationKeyView } from './integration-keys'
import {
  knowledgeDocumentPath,
  knowledgeSearchText,
  newKnowledgeDocuments,
  passageIdArg,
  type AddedKnowledgeDocuments,
  type KnowledgeBaseView,
  type PassageInContext,
  type RetrievedPassageView,
} from './knowledge'
import { BODY_CHARS } from './limits'
import { draftFeedback, messageIdArg, newSnippet, rewriteInput, snippetIdArg, snippetQuery, snippetsFileText, snippetUpdate } from './schemas'
import type { Snippet, SnippetImportResult } from './steering'
import {
  backupIdArg,
  backupScheduleUpdate,
  conversationFilter,
  conversationIds,
  conversationQuery,
  exportJobIdArg,
  exportRequest,
  importJson,
  newSavedFilter,
  newTag,
  savedFilterIdArg,
  tagIdArg,
  tagUpdate,
  usedDraftIdArg,
  type BackupCheck,
  type BackupInfo,
  type BackupsView,
  type ConversationReview,
  type ExportJob,
  type ImportResult,
  type RestoreResult,
  type ReviewConversationPage,
  type ReviewStats,
  type SavedFilter,
  type Tag,
  type TaggingResult,
} from './review'
import { conversationIdArg, createConversationInput, exportFormat, messageText, replyText, settingsUpdate, title } from './schemas'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * Where one argument travels in an HTTP request, by its position in the argument list:
 * - `path:NAME`: the `{NAME}` segment of the route's path (a segment of digits arrives as a number);
 * - `query`: the whole query string, as an object of its parameters; `query:NAME`: one parameter;
 * - `body`: the whole JSON body; `body?`: the same, where no body at all means `{}`; `body:NAME`: one field of it.
 */
export type ArgPlace = `path:${string}` | 'query' | `query:${string}` | 'body' | 'body?' | `body:${string}`

export interface RestRoute {
  method: HttpMethod
  /** With a `{NAME}` placeholder for each `path:NAME` argument. */
  path: string
  args: readonly ArgPlace[]
  /** Body fields with fixed values, sent with every call: they tell apart methods that share one route. */
  fixed?: Readonly<Record<string, string>>
  /** The answer's status on success; 204 has no body. */
  status: 200 | 201 | 202 | 204
  /** 'file': the result (an ExportedTranscript) is the response body itself, sent as a download. Default 'json'. */
  response?: 'json' | 'file'
  /** The most text a body may carry, in characters (limits.ts); the server turns it into bytes. */
  bodyChars?: number
  /**
   * Who may call it over HTTP: 'console' (the console's own session: its token, from no Origin or the server's
   * own), or an integration key with these scopes. IPC is always the console's session.
   */
  access: Access
}

declare const resultType: unique symbol
/** A method's result type, carried by its declaration for the type checker only. */
export interface Returns<T> {
  readonly [resultType]?: T
}
const returns = <T>(): Returns<T> => ({})

export interface Declaration<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  args: A
  result: Returns<R>
  http: RestRoute
}
const declare = <A extends z.ZodTuple, R>(declaration: Declaration<A, R>): Declaration<A, R> => declaration

const conversation = '/api/conversations/{id}'
/** Integration keys read transcripts with 'read' and export them with 'export'; everything else is the console's own. */
const READ: Access = { scopes: ['read'] }
const EXPORT: Access = { scopes: ['export'] }

/** Every request/response method of the API. The live-event subscription is SUBSCRIPTION, below. */
export const API = {
  /**
   * A page of conversations, newest first; with `q`, those whose messages match it, each with its best hit. The
   * review filters (from, to, status, source, tag, feedback, model, usedReply) narrow it, combined with each other
   * and with `q`; each row carries its tag ids.
   */
  listConversations: declare({
    args: z.tuple([conversationQuery]),
    result: returns<ReviewConversationPage>(),
    http: { method: 'GET', path: '/api/conversations', args: ['query'], status: 200, access: READ },
  }),
  getConversation: declare({
    args: z.tuple([conversationIdArg]),
    result: returns<ConversationDetail>(),
    http: { method: 'GET', path: conversation, args: ['path:id'], status: 200, access: READ },
  }),
  /** A new, empty conversation started by the agent; the title defaults to "New conversation". */
  createConversation: declare({
    args: z.tuple([createConversationInput]),
    result: returns<Conversation>(),
    http: { method: 'POST', path: '/api/conversations', args: ['body?'], status: 201, bodyChars: BODY_CHARS.title, access: 'console' },
  }),
  renameConversation: declare({
    args: z.tuple([conversationIdArg, title]),
    result: returns<Conversation>(),
    http: { method: 'PATCH', path: conversation, args: ['path:id', 'body:title'], status: 200, bodyChars: BODY_CHARS.title, access: 'console' },
  }),
  /** Deletes the conversation and all its messages; a live draft in it is stopped first. */
  deleteConversation: declare({
    args: z.tuple([conversationIdArg]),
    result: returns<void>(),
    http: { method: 'DELETE', path: conversation, args: ['path:id'], status: 204, access: 'console' },
  }),
  /** Records a customer's message (pasted or typed by the agent). */
  addCustomerMessage: declare({
    args: z.tuple([conversationIdArg, messageText]),
    result: returns<Message>(),
    http: {
      method: 'POST',
      path: `${conversation}/messages`,
      args: ['path:id', 'body:text'],
      fixed: { role: 'customer' },
      status: 201,
      bodyChars: BODY_CHARS.message,
      access: 'console',
    },
  }),
  /**
   * Saves the agent's final reply (usually an edited draft) as the agent's message. `draftId`: the draft it was
   * edited from (default: the latest complete draft since the last reply); how much it changed is kept with it.
   */
  useReply: declare({
    args: z.tuple([conversationIdArg, replyText, usedDraftIdArg]),
    result: returns<Message>(),
    http: {
      method: 'POST',
      path: `${conversation}/messages`,
      args: ['path:id', 'body:text', 'body:draftId'],
      fixed: { role: 'agent' },
      status: 201,
      bodyChars: BODY_CHARS.message,
      access: 'console',
    },
  }),
  /** Starts Gemini drafting a reply to the conversation; follow it with onConversationEvents. 202: its text comes on the events. */
  startDraft: declare({
    args: z.tuple([conversationIdArg]),
    result: returns<{ messageId: number }>(),
    http: { method: 'POST', path: `${conversation}/draft`, args: ['path:id'], status: 202, access: 'console' },
  }),
  /** Stops the conversation's live draft, aborting the request to Gemini. Resolves when it has ended. */
  stopDraft: declare({
    args: z.tuple([conversationIdArg]),
    result: returns<void>(),
    http: { method: 'POST', path: `${conversation}/draft/stop`, args: ['path:id'], status: 204, access: 'console' },
  }),
  exportConversation: declare({
    args: z.tuple([conversationIdArg, exportFormat]),
    result: returns<ExportedTranscript>(),
    http: { method: 'GET', path: `${conversation}/export`, args: ['path:id', 'query:format'], status: 200, response: 'file', access: EXPORT },
  }),
  getSettings: declare({
    args: z.tuple([]),
    result: returns<SettingsView>(),
    http: { method: 'GET', path: '/api/settings', args: [], status: 200, access: 'console' },
  }),
  updateSettings: declare({
    args: z.tuple([settingsUpdate]),
    result: returns<SettingsView>(),
    http: { method: 'PATCH', path: '/api/settings', args: ['body'], status: 200, bodyChars: BODY_CHARS.settings, access: 'console' },
  }),
  /** The integration keys, without their secrets, oldest first. */
  listIntegrationKeys: declare({
    args: z.tuple([]),
    result: returns<IntegrationKeyView[]>(),
    http: { method: 'GET', path: '/api/integration-keys', args: [], status: 200, access: 'console' },
  }),
  /** Creates a named key with scopes; the answer holds its secret, this once: only a digest of it is kept. */
  createIntegrationKey: declare({
    args: z.tuple([newIntegrationKey]),
    result: returns<CreatedIntegrationKey>(),
    http: { method: 'POST', path: '/api/integration-keys', args: ['body'], status: 201, bodyChars: BODY_CHARS.title, access: 'console' },
  }),
  /** Revokes a key at once: the next request presenting it is refused. */
  revokeIntegrationKey: declare({
    args: z.tuple([integrationKeyId]),
    result: returns<void>(),
    http: { method: 'DELETE', path: '/api/integration-keys/{id}', args: ['path:id'], status: 204, access: 'console' },
  }),
  /** The knowledge base: its folder, state, indexing progress and documents (with their passage counts and errors). */
  getKnowledgeBase: declare({
    args: z.tuple([]),
    result: returns<KnowledgeBaseView>(),
    http: { method: 'GET', path: '/api/knowledge-base', args: [], status: 200, access: 'console' },
  }),
  /** The passages a draft would get for this text, best first (as many as a draft gets, within its token budget). */
  searchKnowledgeBase: declare({
    args: z.tuple([knowledgeSearchText]),
    result: returns<RetrievedPassageView[]>(),
    http: { method: 'GET', path: '/api/knowledge-base/search', args: ['query:q'], status: 200, access: READ },
  }),
  /** A passage with its neighbours' text in the same document, to read it in context. */
  getPassage: declare({
    args: z.tuple([passageIdArg]),
    result: returns<PassageInContext>(),
    http: { method: 'GET', path: '/api/knowledge-base/passages/{id}', args: ['path:id'], status: 200, access: READ },
  }),
  /** Copies files (base64) into the knowledge-base folder, which indexes them; bad names, types and sizes are refused one by one. */
  addKnowledgeBaseDocuments: declare({
    args: z.tuple([newKnowledgeDocuments]),
    result: returns<AddedKnowledgeDocuments>(),
    http: {
      method: 'POST',
      path: '/api/knowledge-base/documents',
      args: ['body:files'],
      status: 200,
      bodyChars: BODY_CHARS.documents,
      access: 'console',
    },
  }),
  /** Opens a document of the knowledge base (path relative to its folder) in its own application: desktop app only. */
  openKnowledgeBaseDocument: declare({
    args: z.tuple([knowledgeDocumentPath]),
    result: returns<void>(),
    http: { method: 'POST', path: '/api/knowledge-base/open', args: ['body:path'], status: 204, bodyChars: BODY_CHARS.title * 5, access: 'console' },
  }),
  /**
   * An offline draft, for when Gemini cannot be reached: a reply assembled from the best-matching knowledge-base
   * passages, with its sources, saved complete under the model 'knowledge-base (offline)'.
   */
  draftFromKnowledgeBase: declare({
    args: z.tuple([conversationIdArg]),
    result: returns<Message>(),
    http: { method: 'POST', path: `${conversation}/draft/offline`, args: ['path:id'], status: 201, access: 'console' },
  }),
  /**
   * Rewrites a text (a draft or the agent's own) as instructed, with the conversation as context: streamed like a
   * draft (follow it with onConversationEvents, stop it with stopDraft), saved as a draft of kind 'rewrite'.
   */
  rewriteDraft: declare({
    args: z.tuple([conversationIdArg, rewriteInput]),
    result: returns<{ messageId: number }>(),
    http: {
      method: 'POST',
      path: `${conversation}/rewrite`,
      args: ['path:id', 'body'],
      status: 202,
      bodyChars: BODY_CHARS.rewrite,
      access: 'console',
    },
  }),
  /** Summarizes the conversation (issue, promises, open questions): streamed like a draft; once complete it is the conversation's summary. */
  summarizeConversation: declare({
    args: z.tuple([conversationIdArg]),
    result: returns<{ messageId: number }>(),
    http: { method: 'POST', path: `${conversation}/summary`, args: ['path:id'], status: 202, access: 'console' },
  }),
  /** The snippets (canned replies), alphabetically; with `q`, those matching it, shortcut and title matches first. */
  listSnippets: declare({
    args: z.tuple([snippetQuery]),
    result: returns<Snippet[]>(),
    http: { method: 'GET', path: '/api/snippets', args: ['query'], status: 200, access: 'console' },
  }),
  createSnippet: declare({
    args: z.tuple([newSnippet]),
    result: returns<Snippet>(),
    http: { method: 'POST', path: '/api/snippets', args: ['body'], status: 201, bodyChars: BODY_CHARS.snippet, access: 'console' },
  }),
  // The export and import routes come before /api/snippets/{id}: routes are matched in declaration order.
  /** Every snippet as a JSON file ({ version: 1, snippets }) to keep or share. */
  exportSnippets: declare({
    args: z.tuple([]),
    result: returns<ExportedTranscript>(),
    http: { method: 'GET', path: '/api/snippets/export', args: [], status: 200, response: 'file', access: 'console' },
  }),
  /** Adds the snippets of an exported file; those already kept (same title and body) are skipped, not doubled. */
  importSnippets: declare({
    args: z.tuple([snippetsFileText]),
    result: returns<SnippetImportResult>(),
    http: { method: 'POST', path: '/api/snippets/import', args: ['body:json'], status: 200, bodyChars: BODY_CHARS.snippetsImport, access: 'console' },
  }),
  /** Changes the fields given; a null shortcut removes it. */
  updateSnippet: declare({
    args: z.tuple([snippetIdArg, snippetUpdate]),
    result: returns<Snippet>(),
    http: { method: 'PATCH', path: '/api/snippets/{id}', args: ['path:id', 'body'], status: 200, bodyChars: BODY_CHARS.snippet, access: 'console' },
  }),
  deleteSnippet: declare({
    args: z.tuple([snippetIdArg]),
    result: returns<void>(),
    http: { method: 'DELETE', path: '/api/snippets/{id}', args: ['path:id'], status: 204, access: 'console' },
  }),
  /** The agent's thumbs up or down on a draft, with an optional reason; a null rating clears it. Drafts only. */
  setDraftFeedback: declare({
    args: z.tuple([messageIdArg, draftFeedback]),
    result: returns<Message>(),
    http: {
      method: 'PUT',
      path: '/api/messages/{id}/feedback',
      args: ['path:id', 'body'],
      status: 200,
      bodyChars: BODY_CHARS.feedback,
      access: 'console',
    },
  }),
  // Review (issue 9): the timeline, tags, saved filters, statistics, bulk export and import, backups.
  /** The full timeline: every message and draft, the conversation's tags, and which reply came from which draft. */
  getConversationReview: declare({
    args: z.tuple([conversationIdArg]),
    result: returns<ConversationReview>(),
    http: { method: 'GET', path: `${conversation}/review`, args: ['path:id'], status: 200, access: READ },
  }),
  /** Every tag with how many conversations carry it, by name. */
  listTags: declare({
    args: z.tuple([]),
    result: returns<Tag[]>(),
    http: { method: 'GET', path: '/api/tags', args: [], status: 200, access: READ },
  }),
  createTag: declare({
    args: z.tuple([newTag]),
    result: returns<Tag>(),
    http: { method: 'POST', path: '/api/tags', args: ['body'], status: 201, bodyChars: BODY_CHARS.title, access: 'console' },
  }),
  /** Renames or recolours a tag. */
  updateTag: declare({
    args: z.tuple([tagIdArg, tagUpdate]),
    result: returns<Tag>(),
    http: { method: 'PATCH', path: '/api/tags/{id}', args: ['path:id', 'body'], status: 200, bodyChars: BODY_CHARS.title, access: 'console' },
  }),
  /** Deletes the tag; its conversations stay, untagged. */
  deleteTag: declare({
    args: z.tuple([tagIdArg]),
    result: returns<void>(),
    http: { method: 'DELETE', path: '/api/tags/{id}', args: ['path:id'], status: 204, access: 'console' },
  }),
  /** Tags every conversation named (a selection), in one step. */
  tagConversations: declare({
    args: z.tuple([tagIdArg, conversationIds]),
    result: returns<TaggingResult>(),
    http: { method: 'POST', path: '/api/tags/{id}/conversations', args: ['path:id', 'body:ids'], status: 200, bodyChars: 200_000, access: 'console' },
  }),
  untagConversations: declare({
    args: z.tuple([tagIdArg, conversationIds]),
    result: returns<TaggingResult>(),
    http: {
      method: 'POST',
      path: '/api/tags/{id}/conversations/remove',
      args: ['path:id', 'body:ids'],
      status: 200,
      bodyChars: 200_000,
      access: 'console',
    },
  }),
  listSavedFilters: declare({
    args: z.tuple([]),
    result: returns<SavedFilter[]>(),
    http: { method: 'GET', path: '/api/saved-filters', args: [], status: 200, access: 'console' },
  }),
  /** Saves a filter under a name; a filter already saved under that name (any case) is replaced. */
  saveFilter: declare({
    args: z.tuple([newSavedFilter]),
    result: returns<SavedFilter>(),
    http: { method: 'POST', path: '/api/saved-filters', args: ['body'], status: 201, bodyChars: 20_000, access: 'console' },
  }),
  deleteSavedFilter: declare({
    args: z.tuple([savedFilterIdArg]),
    result: returns<void>(),
    http: { method: 'DELETE', path: '/api/saved-filters/{id}', args: ['path:id'], status: 204, access: 'console' },
  }),
  /** The dashboard's figures over the drafts the filter selects; from/to bound each draft's own time. */
  getStats: declare({
    args: z.tuple([conversationFilter]),
    result: returns<ReviewStats>(),
    http: { method: 'GET', path: '/api/stats', args: ['query'], status: 200, access: READ },
  }),
  /**
   * Desktop: asks where to save (a dialog) and exports there in the background; null when the agent cancelled the
   * dialog. Poll getExportJob for progress. In a browser, download GET /api/export (review.ts exportUrl) instead.
   */
  startExport: declare({
    args: z.tuple([exportRequest]),
    result: returns<ExportJob | null>(),
    http: { method: 'POST', path: '/api/exports', args: ['body'], status: 202, bodyChars: 200_000, access: 'console' },
  }),
  getExportJob: declare({
    args: z.tuple([exportJobIdArg]),
    result: returns<ExportJob>(),
    http: { method: 'GET', path: '/api/exports/{id}', args: ['path:id'], status: 200, access: 'console' },
  }),
  /** Stops a running export and deletes its partial file. */
  cancelExportJob: declare({
    args: z.tuple([exportJobIdArg]),
    result: returns<ExportJob>(),
    http: { method: 'POST', path: '/api/exports/{id}/cancel', args: ['path:id'], status: 200, access: 'console' },
  }),
  /**
   * Imports a JSON export: conversations already here (same uid) are skipped; a bad file changes nothing. Over HTTP
   * the body is the export file itself, or `{ "json": "<the file as text>" }`.
   */
  importConversations: declare({
    args: z.tuple([importJson]),
    result: returns<ImportResult>(),
    http: { method: 'POST', path: '/api/import', args: ['body'], status: 200, bodyChars: 100_000_000, access: 'console' },
  }),
  /** The backups (newest first), where they are kept, and the schedule. */
  listBackups: declare({
    args: z.tuple([]),
    result: returns<BackupsView>(),
    http: { method: 'GET', path: '/api/backups', args: [], status: 200, access: 'console' },
  }),
  /** A consistent copy of the live database now (SQLite's online backup). */
  createBackup: declare({
    args: z.tuple([]),
    result: returns<BackupInfo>(),
    http: { method: 'POST', path: '/api/backups', args: [], status: 201, access: 'console' },
  }),
  updateBackupSchedule: declare({
    args: z.tuple([backupScheduleUpdate]),
    result: returns<BackupsView>(),
    http: { method: 'PATCH', path: '/api/backups/schedule', args: ['body'], status: 200, bodyChars: BODY_CHARS.title, access: 'console' },
  }),
  /** Verifies a backup and says what it holds next to the live database: shown before a restore is confirmed. */
  checkBackup: declare({
    args: z.tuple([backupIdArg]),
    result: returns<BackupCheck>(),
    http: { method: 'GET', path: '/api/backups/{id}/check', args: ['path:id'], status: 200, access: 'console' },
  }),
  /** Verifies the backup, then restores it at the next start (the current database is kept aside); restart to apply. */
  restoreBackup: declare({
    args: z.tuple([backupIdArg]),
    result: returns<RestoreResult>(),
    http: { method: 'POST', path: '/api/backups/{id}/restore', args: ['path:id'], status: 200, access: 'console' },
  }),
}

export type ApiMethod = keyof typeof API
export const API_METHODS = Object.keys(API) as ApiMethod[]

/** A method's arguments as its implementation receives them (parsed: trimmed, defaults filled in). */
export type ApiArgs<M extends ApiMethod> = z.output<(typeof API)[M]['args']>
export type ApiResult<M extends ApiMethod> = (typeof API)[M]['result'] extends Returns<infer R> ? R : never

/** The request/response methods, typed from their declarations (documentation comments included). */
export type ApiMethods = { [M in keyof typeof API]: (...args: ApiArgs<M>) => Promise<ApiResult<M>> }

/**
 * The live-event subscription: `onConversationEvents(conversationId, listener)` returns a Dispose at once, so it
 * has no place in the request/response table. Over IPC it has its own subscribe/unsubscribe channels (ipc.ts);
 * over HTTP it is this server-sent event stream of ConversationEvent JSON.
 */
export const SUBSCRIPTION = {
  method: 'onConversationEvents',
  args: z.tuple([conversationIdArg]),
  http: { path: '/conversations/{id}/events', query: { format: 'json' }, access: READ },
} as const

/** The one table from an ApiError's code to its HTTP status: the REST routes, the chat routes and the web client use it. */
export const HTTP_STATUS_OF: Readonly<Record<ApiErrorCode, number>> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  storage: 507,
  internal: 500,
}

/** The inverse of HTTP_STATUS_OF, for a response without a code of ours in its body. */
export function apiErrorCodeOf(status: number): ApiErrorCode | undefined {
  return (Object.keys(HTTP_STATUS_OF) as ApiErrorCode[]).find((code) => HTTP_STATUS_OF[code] === status)
}

/** The method's arguments, parsed by its declaration; anything else is an 'invalid-input' ApiError naming the problem. */
export function parseArgs<M extends ApiMethod>(method: M, args: readonly unknown[]): ApiArgs<M> {
  return parseTuple(method, API[method].args, args) as ApiArgs<M>
}

function parseTuple(method: string, schema: z.ZodTuple, args: readonly unknown[]): unknown[] {
  const parsed = schema.safeParse(args)
  if (parsed.success) return parsed.data
  throw new ApiError('invalid-input', describeArgsIssue(method, schema, parsed.error))
}

function describeArgsIssue(method: string, schema: z.ZodTuple, error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid input'
  // An empty path: the argument list itself has the wrong length.
  if (issue.path.length === 0) {
    const count = schema.def.items.length
    return `${method} takes ${count === 0 ? 'no arguments' : count === 1 ? 'one argument' : `${count} arguments`}`
  }
  // The first step is the argument's position, which means nothing to the caller; the schemas' messages name it.
  const field = issue.path.slice(1).join('.')
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message
}

/** What checkArguments can guard: a class with the request/response methods and the subscription. */
export interface ApiClass {
  prototype: ApiMethods & { onConversationEvents(conversationId: number, listener: (event: ConversationEvent) => void): unknown }
}

/**
 * Makes every declared method of the class parse its arguments with its declaration before its body runs, so the
 * bodies get parsed values and no caller (IPC, REST, a test, another part of the core) can skip the check.
 * Installed once, right after the class (api-service.ts); the transports only shape their raw input into arguments.
 */
export function checkArguments(target: ApiClass): void {
  const proto = target.prototype as unknown as Record<string, (...args: unknown[]) => unknown>
  for (const method of API_METHODS) {
    const body = proto[method]
    if (typeof body !== 'function') throw new Error(`${method} is declared in api-contract.ts but not implemented`)
    install(proto, method, async function (this: unknown, ...args: unknown[]) {
      return body.apply(this, parseArgs(method, args))
    })
  }
  const subscribe = proto[SUBSCRIPTION.method]
  if (typeof subscribe !== 'function') throw new Error(`${SUBSCRIPTION.method} is not implemented`)
  install(proto, SUBSCRIPTION.method, function (this: unknown, ...args: unknown[]) {
    const [conversationId] = parseTuple(SUBSCRIPTION.method, SUBSCRIPTION.args, args.slice(0, 1))
    const listener = args[1]
    if (typeof listener !== 'function') throw new ApiError('invalid-input', 'listener must be a function')
    if (args.length > 2) throw new ApiError('invalid-input', `${SUBSCRIPTION.method} takes 2 arguments`)
    return subscribe.call(this, conversationId, listener)
  })
}

function install(proto: Record<string, unknown>, name: string, value: (...args: unknown[]) => unknown): void {
  Object.defineProperty(value, 'name', { value: name })
  Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false })
}
