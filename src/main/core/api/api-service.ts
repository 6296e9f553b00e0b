// The renderer-facing API over the core: the one service behind IPC (desktop) and the REST routes (web mode).
// Every refusal is an ApiError with a code. Arguments of the declared methods (src/shared/api-contract.ts) are
// parsed once, at the entry, by checkArguments (end of this file), whoever the caller: the bodies below get
// parsed values. The transports only shape their raw input into arguments.
import { DEFAULT_CONVERSATION_TITLE, shouldTitleFromFirstMessage, titleFromMessage } from '../../../shared/conversation-title'
import {
  ApiError,
  type ConversationEvent,
  type Dispose,
  type EndpointView,
  type ExportedTranscript,
  type ExportFormat,
  type SettingsUpdate,
  type SettingsView,
  type SupportConsoleApi,
} from '../../../shared/api'
import { APP_SOURCE, type Conversation, type ConversationDetail, type Message } from '../../../shared/domain'
import { checkArguments } from '../../../shared/api-contract'
import type { CreatedIntegrationKey, IntegrationKeyView, NewIntegrationKey } from '../../../shared/integration-keys'
import type {
  AddedKnowledgeDocuments,
  KnowledgeBaseView,
  NewKnowledgeDocument,
  PassageInContext,
  RetrievedPassageView,
} from '../../../shared/knowledge'
import { chatRequest, conversationId as idSchema, messageText, replyText, snippetsFile, sourceName } from '../../../shared/schemas'
import { z } from 'zod'
import {
  CUSTOMER_LANGUAGE,
  SNIPPETS_FILE_VERSION,
  type DraftFeedbackInput,
  type NewSnippet,
  type RewriteInstruction,
  type Snippet,
  type SnippetImportResult,
  type SnippetQuery,
  type SnippetsFile,
  type SnippetUpdate,
} from '../../../shared/steering'
import { IntegrationKeyNameTaken, IntegrationKeys, type IntegrationKeysFileError } from '../config/integration-keys'
import type { SettingsService } from '../config/settings-service'
import { customerLanguage } from '../drafting/customer-language'
import type { DraftingService } from '../drafting/drafting-service'
import { instructionWords, UnknownCustomerLanguage } from '../drafting/steering-prompts'
import { addDocuments, documentFile, DocumentPathError } from '../knowledge/document-files'
import type { KnowledgeBase } from '../knowledge/knowledge-base'
import type { LiveKnowledgeBase } from '../knowledge/live-knowledge-base'
import { SnippetShortcutTaken } from '../store/snippets'
import type { TranscriptStore } from '../store/transcript-store'
import { followConversation, replyStream, type ConversationStream, type ReplyStream, type ResumedReply } from '../streaming/follow'
import type { Generation } from '../streaming/generation'
import type { StreamHub } from '../streaming/stream-hub'
import type { Writable } from 'node:stream'
import type {
  BackupCheck,
  BackupInfo,
  BackupScheduleUpdate,
  BackupsView,
  BulkExportFormat,
  ConversationFilter,
  ConversationQuery,
  ConversationReview,
  ExportJob,
  ExportRequest,
  ImportResult,
  NewSavedFilter,
  NewTag,
  RestoreResult,
  ReviewConversationPage,
  ReviewStats,
  SavedFilter,
  Tag,
  TaggingResult,
  TagUpdate,
} from '../../../shared/review'
import { BackupNotFound, type Backups } from '../store/backups'
import type { ExportSelection } from '../store/export'
import { NameTakenError } from '../store/tags'
import { knownApiError, parseInput } from './api-errors'
import { exportFilename, writeBulkExport, type BulkExportOptions, type ExportProgress } from './export-bulk'
import { ExportJobs } from './export-jobs'
import { exportTranscript } from './export-transcript'
import { knowledgeBaseView, passageInContext, retrievedView } from './knowledge-views'

export interface ApiServiceDeps {
  store: TranscriptStore
  drafting: DraftingService
  hub: StreamHub
  settings: SettingsService
  /** The local endpoint: shown in Settings, moved when Settings changes its port. */
  endpoint: EndpointControl
  /** The integration keys, or why their file was refused (then the key methods answer 'unavailable'). */
  integrationKeys: IntegrationKeys | IntegrationKeysFileError
  /** The knowledge base drafts are grounded in; Settings moves it to another folder. */
  knowledge: LiveKnowledgeBase
  /** Opens a file in its own application: the desktop app only (Electron's shell.openPath). */
  openFile?: (absolutePath: string) => Promise<void>
  /** Asks where to save an export (Electron's save dialog): the desktop app only; null when cancelled. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>
  /** The database's backups; without them the backup methods answer 'unavailable'. */
  backups?: Backups
}

/** The local endpoint as the API sees it. */
export interface EndpointControl {
  /** Where it listens, or why it does not (the desktop app runs on without it). */
  state(): Pick<EndpointView, 'url' | 'status' | 'problem'>
  /** Listens again on the port the settings now hold; a port that cannot be used leaves it off, with the reason. */
  reopen(): Promise<void>
}

export class ApiService implements SupportConsoleApi {
  private readonly exports: ExportJobs

  constructor(private readonly deps: ApiServiceDeps) {
    this.exports = new ExportJobs(deps.store)
  }

  async listConversations(query: ConversationQuery): Promise<ReviewConversationPage> {
    return this.guard(() => this.deps.store.listConversations(query))
  }

  async getConversation(id: number): Promise<ConversationDetail> {
    return this.detail(id)
  }

  async createConversation(input: { title?: string }): Promise<Conversation> {
    return this.guard(() => this.deps.store.createConversation({ title: input.title ?? DEFAULT_CONVERSATION_TITLE, source: APP_SOURCE }))
  }

  async renameConversation(id: number, title: string): Promise<Conversation> {
    const renamed = this.guard(() => this.deps.store.renameConversation(id, title))
    if (!renamed) throw notFound(id)
    return renamed
  }

  async deleteConversation(id: number): Promise<void> {
    const conversationId = this.existing(id).id
    // Stopped first so the draft ends cleanly (saved, its listeners told) rather than writing into nothing.
    // Looped because an integration may start another draft while we wait; no await sits between the
    // last check and the delete, so none can slip in after it.
    for (let live = this.deps.hub.liveIn(conversationId); live; live = this.deps.hub.liveIn(conversationId)) {
      await stopAndWait(live)
    }
    if (!this.deps.store.deleteConversation(conversationId)) throw notFound(conversationId)
  }

  async addCustomerMessage(conversationId: number, text: string): Promise<Message> {
    const before = this.existing(conversationId)
    const message = this.addMessage(before.id, 'customer', text)
    if (shouldTitleFromFirstMessage(before.title, before.messageCount)) {
      this.guard(() => this.deps.store.renameConversation(before.id, titleFromMessage(text)))
    }
    return message
  }

  async useReply(conversationId: number, text: string, draftId?: number): Promise<Message> {
    const { id } = this.existing(conversationId)
    return this.guard(() => this.deps.store.addReply({ conversationId: id, text, source: APP_SOURCE, draftId }))
  }

  /**
   * The draft belongs to the app, not to whoever watches it: nobody subscribes to it as its audience, so it
   * runs to the end (or until stopDraft) even when every window following it has closed.
   */
  async startDraft(conversationId: number): Promise<{ messageId: number }> {
    const generation = this.guard(() => this.deps.drafting.draft(conversationId, APP_SOURCE))
    return { messageId: generation.messageId }
  }

  async stopDraft(conversationId: number): Promise<void> {
    const { id } = this.existing(conversationId)
    // Nothing live is not an error: the draft may have finished while the agent reached for Stop.
    const live = this.deps.hub.liveIn(id)
    if (live) await stopAndWait(live)
  }

  onConversationEvents(conversationId: number, onEvent: (event: ConversationEvent) => void): Dispose {
    const stream = this.conversationStream(conversationId)
    const deliver = onEvent
    // A follower, never the draft's audience: a closed window must not stop a draft.
    return stream.follow(undefined, ({ messageId, event }) => deliver({ messageId, event }))
  }

  // For integrations, through the local server's streaming routes; not part of the renderer contract.

  /**
   * Adds an integration's customer message (to a new conversation unless one is given) and starts a reply.
   * `input` is `{ message, conversationId?, source? }` as the integration sent it; it is validated here.
   * The caller follows the returned stream as its audience: the reply runs while somebody listens.
   */
  startReply(input: unknown): ReplyStream {
    const request = parseInput(chatRequest, input ?? {})
    return replyStream(this.guard(() => this.deps.drafting.replyTo(request)))
  }

  /**
   * Adds an integration's messages (customer messages and earlier replies, oldest first, the customer's last) to
   * a new conversation, or to the one given, and starts a reply: the OpenAI-compatible route, whose clients send
   * a conversation rather than one message. The reply is drafted like every other (drafting.replyTo). A refused
   * request leaves nothing behind: a new conversation is removed again, an existing one is checked first.
   */
  startReplyToMessages(input: unknown): ReplyStream {
    const request = parseInput(messagesReplyRequest, input ?? {})
    const { store, drafting, hub } = this.deps
    const { source } = request
    const last = request.messages.at(-1) as { text: string }
    const earlier = request.messages.slice(0, -1)
    const add = (conversationId: number): void => {
      for (const { role, text } of earlier) store.addMessage({ conversationId, role, text, source })
    }
    if (request.conversationId !== undefined) {
      const { id } = this.existing(request.conversationId)
      if (hub.liveIn(id)) throw new ApiError('conflict', `A draft is already streaming in conversation ${id}; follow it or stop it first.`)
      this.guard(() => add(id))
      return replyStream(this.guard(() => drafting.replyTo({ message: last.text, conversationId: id, source })))
    }
    if (earlier.length === 0) return replyStream(this.guard(() => drafting.replyTo({ message: last.text, source })))
    const first = request.messages.find((message) => message.role === 'customer') as { text: string }
    const { id } = this.guard(() => store.createConversation({ title: titleFromMessage(first.text), source }))
    try {
      add(id)
      return replyStream(drafting.replyTo({ message: last.text, conversationId: id, source }))
    } catch (error) {
      this.deps.store.deleteConversation(id)
      throw knownApiError(error) ?? error
    }
  }

  /** The newest message id in the conversation (0 when it has none): drafts started later have greater ids. */
  latestMessageId(conversationId: number): number {
    const { id } = this.existing(this.id(conversationId))
    return this.deps.store.getMessages(id).at(-1)?.id ?? 0
  }

  /** The reply a client resumes (Last-Event-ID): its stream while the hub still has it, else the saved message. */
  resumeReply(messageId: number): ResumedReply {
    const id = parseInput(idSchema, messageId, 'message id')
    const generation = this.deps.hub.find(id)
    if (generation) return { kind: 'stream', stream: replyStream(generation) }
    const message = this.deps.store.getMessage(id)
    if (!message) throw new ApiError('not-found', `There is no reply ${id} to resume.`)
    return { kind: 'saved', message }
  }

  /**
   * A conversation to follow, checked to exist now; its follow() starts delivering (from a resume position for
   * a client that reconnects), so a transport can answer "not found" before it opens its stream.
   */
  conversationStream(conversationId: number): ConversationStream {
    // Not a declared method: its caller's id is parsed here.
    const { id } = this.existing(this.id(conversationId))
    return { conversationId: id, follow: (from, sink) => followConversation(this.deps.hub, id, from, sink) }
  }

  async exportConversation(id: number, format: ExportFormat): Promise<ExportedTranscript> {
    return exportTranscript(await this.detail(id), format)
  }

  async getSettings(): Promise<SettingsView> {
    return this.deps.settings.view(this.deps.endpoint.state())
  }

  /** A new port moves the endpoint at once; the same port again retries one that is off. Either way the view says how it went. */
  async updateSettings(update: SettingsUpdate): Promise<SettingsView> {
    const { endpoint, settings } = this.deps
    const portBefore = settings.current.port
    await settings.update(update)
    // A new folder is indexed at once; the same one again is rescanned (it may have appeared since).
    if (update.knowledgeBaseDir !== undefined) await this.deps.knowledge.switchTo(settings.current.knowledgeBaseDir)
    if (update.port !== undefined && (update.port !== portBefore || endpoint.state().status === 'unavailable')) await endpoint.reopen()
    return settings.view(endpoint.state())
  }

  async listIntegrationKeys(): Promise<IntegrationKeyView[]> {
    return this.keys().list()
  }

  async createIntegrationKey(input: NewIntegrationKey): Promise<CreatedIntegrationKey> {
    const keys = this.keys()
    return keysCall(() => keys.create(input))
  }

  async revokeIntegrationKey(id: string): Promise<void> {
    const keys = this.keys()
    if (!keysCall(() => keys.revoke(id))) throw new ApiError('not-found', `There is no integration key ${id}; it may have been revoked already.`)
  }

  async getKnowledgeBase(): Promise<KnowledgeBaseView> {
    return knowledgeBaseView(this.deps.settings.current.knowledgeBaseDir, this.deps.knowledge)
  }

  /** What a draft would get for this text: as many passages as a draft, within the same token budget (none without a folder). */
  async searchKnowledgeBase(text: string): Promise<RetrievedPassageView[]> {
    const { kbPassages, kbTokenBudget } = this.deps.settings.current
    const base = this.deps.knowledge.current
    return base ? base.retrieve(text, { limit: kbPassages, tokenBudget: kbTokenBudget }).map(retrievedView) : []
  }

  async getPassage(passageId: number): Promise<PassageInContext> {
    const base = this.knowledgeBase()
    const passage = base.passage(passageId)
    // Ids belong to the index as it is now: a draft's source may name a passage that has since changed or gone.
    if (!passage) throw new ApiError('not-found', `There is no passage ${passageId} in the knowledge base (its document may have changed since).`)
    return passageInContext(passage, base.passagesOf(passage.documentPath))
  }

  /** Copied into the folder; the folder's watcher indexes them like any file put there. */
  async addKnowledgeBaseDocuments(files: NewKnowledgeDocument[]): Promise<AddedKnowledgeDocuments> {
    return addDocuments(this.knowledgeBase().folder, files)
  }

  async openKnowledgeBaseDocument(path: string): Promise<void> {
    const { openFile } = this.deps
    if (!openFile) {
      throw new ApiError('unavailable', 'Documents open in their own application from the desktop app only; here, read the passage in the console.')
    }
    let file: string
    try {
      file = await documentFile(this.knowledgeBase().folder, path)
    } catch (error) {
      if (error instanceof DocumentPathError) throw new ApiError(error.reason === 'outside' ? 'invalid-input' : 'not-found', error.message)
      throw error
    }
    try {
      await openFile(file)
    } catch (error) {
      throw new ApiError('unavailable', `${path} could not be opened: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  /** Offered when Gemini cannot be reached (no key, no network, auth or quota): a draft assembled from the knowledge base. */
  async draftFromKnowledgeBase(conversationId: number): Promise<Message> {
    return this.guard(() => this.deps.drafting.draftFromKnowledgeBase(conversationId, APP_SOURCE))
  }

  /**
   * Like startDraft, a rewrite belongs to the app and runs until it ends or stopDraft. Translating to the customer's
   * language needs one detected from their messages; without it the agent is asked to choose one.
   */
  async rewriteDraft(conversationId: number, input: { text: string; instruction: RewriteInstruction }): Promise<{ messageId: number }> {
    const { id } = this.existing(conversationId)
    const translatesToCustomer = input.instruction.kind === 'translate' && input.instruction.language === CUSTOMER_LANGUAGE
    const language = translatesToCustomer ? await customerLanguage(this.deps.store.getMessages(id)) : null
    const instruction = steeringCall(() => instructionWords(input.instruction, language))
    const generation = this.guard(() => this.deps.drafting.rewrite(id, APP_SOURCE, { text: input.text, instruction }))
    return { messageId: generation.messageId }
  }

  async summarizeConversation(conversationId: number): Promise<{ messageId: number }> {
    const generation = this.guard(() => this.deps.drafting.summarize(conversationId, APP_SOURCE))
    return { messageId: generation.messageId }
  }

  async listSnippets(query: SnippetQuery): Promise<Snippet[]> {
    return this.guard(() => this.deps.store.snippets.list(query.q))
  }

  async createSnippet(input: NewSnippet): Promise<Snippet> {
    return steeringCall(() => this.deps.store.snippets.create(input))
  }

  async updateSnippet(id: number, input: SnippetUpdate): Promise<Snippet> {
    const updated = steeringCall(() => this.deps.store.snippets.update(id, input))
    if (!updated) throw snippetNotFound(id)
    return updated
  }

  async deleteSnippet(id: number): Promise<void> {
    if (!this.guard(() => this.deps.store.snippets.delete(id))) throw snippetNotFound(id)
  }

  async exportSnippets(): Promise<ExportedTranscript> {
    const file: SnippetsFile = {
      version: SNIPPETS_FILE_VERSION,
      snippets: this.deps.store.snippets.list().map(({ title, body, shortcut }) => ({ title, body, shortcut })),
    }
    const day = new Date().toISOString().slice(0, 10)
    return {
      filename: `support-console-snippets-${day}.json`,
      mimeType: 'application/json; charset=utf-8',
      content: `${JSON.stringify(file, null, 2)}\n`,
    }
  }

  async importSnippets(json: string): Promise<SnippetImportResult> {
    let parsed: unknown
    try {
      parsed = JSON.parse(json)
    } catch {
      throw new ApiError('invalid-input', 'This is not a snippets file: it is not valid JSON.')
    }
    const file = parseInput(snippetsFile, parsed, 'Snippets file:')
    return steeringCall(() => this.deps.store.snippets.importMany(file.snippets))
  }

  async setDraftFeedback(messageId: number, feedback: DraftFeedbackInput): Promise<Message> {
    const message = this.guard(() => this.deps.store.setFeedback(messageId, feedback))
    if (!message) throw new ApiError('not-found', `Message ${messageId} does not exist.`)
    return message
  }

  // For the local server, which decides who is calling; not part of the renderer contract.

  /** The integration key a presented secret belongs to (its last-used time updated); undefined for anything else. */
  authenticateIntegrationKey(secret: string): IntegrationKeyView | undefined {
    const keys = this.deps.integrationKeys
    return keys instanceof IntegrationKeys ? keys.authenticate(secret) : undefined
  }

  /** Calls `listener` when the integration key `id` is revoked, so a stream it opened can end; returns the Dispose. */
  onIntegrationKeyRevoked(id: string, listener: () => void): Dispose {
    const keys = this.deps.integrationKeys
    if (!(keys instanceof IntegrationKeys)) return () => {}
    return keys.onRevoke((revoked) => {
      if (revoked === id) listener()
    })
  }

  /** Who a reply was drafted for (its saved source), so a key resumes only its own replies unless it may read. */
  replySource(messageId: number): string | undefined {
    return this.deps.store.getMessage(messageId)?.source
  }

  // Review (issue 9) ---------------------------------------------------------------------------------------------

  async getConversationReview(id: number): Promise<ConversationReview> {
    const review = this.guard(() => this.deps.store.getReview(id))
    if (!review) throw notFound(id)
    return review
  }

  async listTags(): Promise<Tag[]> {
    return this.deps.store.tags.list()
  }

  async createTag(input: NewTag): Promise<Tag> {
    return reviewCall(() => this.deps.store.tags.create(input))
  }

  async updateTag(id: number, change: TagUpdate): Promise<Tag> {
    const tag = reviewCall(() => this.deps.store.tags.update(id, change))
    if (!tag) throw tagNotFound(id)
    return tag
  }

  async deleteTag(id: number): Promise<void> {
    if (!this.deps.store.tags.delete(id)) throw tagNotFound(id)
  }

  async tagConversations(tagId: number, ids: number[]): Promise<TaggingResult> {
    const result = reviewCall(() => this.deps.store.tags.tag(tagId, ids))
    if (!result) throw tagNotFound(tagId)
    return result
  }

  async untagConversations(tagId: number, ids: number[]): Promise<TaggingResult> {
    const result = reviewCall(() => this.deps.store.tags.untag(tagId, ids))
    if (!result) throw tagNotFound(tagId)
    return result
  }

  async listSavedFilters(): Promise<SavedFilter[]> {
    return this.deps.store.savedFilters.list()
  }

  async saveFilter(input: NewSavedFilter): Promise<SavedFilter> {
    return reviewCall(() => this.deps.store.savedFilters.save(input))
  }

  async deleteSavedFilter(id: number): Promise<void> {
    if (!this.deps.store.savedFilters.delete(id)) throw new ApiError('not-found', `Saved filter ${id} does not exist.`)
  }

  async getStats(filter: ConversationFilter): Promise<ReviewStats> {
    return this.guard(() => this.deps.store.statistics.compute(filter))
  }

  async startExport(request: ExportRequest): Promise<ExportJob | null> {
    const choose = this.deps.chooseExportFile
    if (!choose)
      throw new ApiError('unavailable', 'Exporting to a file is for the desktop app; in a browser, download the export from GET /api/export.')
    const selection = exportSelection(request)
    // Checked before the dialog opens: a bad filter is refused without asking where to save.
    this.guard(() => this.deps.store.exporter.count(selection))
    const file = await choose(exportFilename(request.format, new Date()))
    if (file === null) return null
    return this.exports.start(selection, request.format, file)
  }

  async getExportJob(id: string): Promise<ExportJob> {
    const job = this.exports.get(id)
    if (!job) throw new ApiError('not-found', `There is no export ${id}.`)
    return job
  }

  async cancelExportJob(id: string): Promise<ExportJob> {
    const job = await this.exports.cancel(id)
    if (!job) throw new ApiError('not-found', `There is no export ${id}.`)
    return job
  }

  /**
   * Streams an export to `sink` (the HTTP download, GET /api/export): not a declared method, its caller parsed the
   * request (review.ts exportQuery). The sink is not ended here.
   */
  async streamExport(request: ExportRequest, sink: Writable, options: BulkExportOptions = {}): Promise<ExportProgress> {
    return writeBulkExport(
      this.deps.store,
      this.guard(() => checkedSelection(this.deps.store, exportSelection(request))),
      request.format,
      sink,
      options,
    )
  }

  async importConversations(json: string): Promise<ImportResult> {
    return this.guard(() => this.deps.store.importer.import(json))
  }

  async listBackups(): Promise<BackupsView> {
    return backupCall(() => this.backups().view())
  }

  async createBackup(): Promise<BackupInfo> {
    return backupCall(() => this.backups().create('manual'))
  }

  async updateBackupSchedule(update: BackupScheduleUpdate): Promise<BackupsView> {
    return backupCall(() => this.backups().updateSchedule(update))
  }

  async checkBackup(id: string): Promise<BackupCheck> {
    return backupCall(() => this.backups().check(id))
  }

  async restoreBackup(id: string): Promise<RestoreResult> {
    return backupCall(() => this.backups().restore(id))
  }

  /** Cancels running exports and waits for them to end (closing the core). */
  async closeExports(): Promise<void> {
    await this.exports.cancelAll()
  }

  private backups(): Backups {
    const backups = this.deps.backups
    if (!backups) throw new ApiError('unavailable', 'Backups are not set up in this console.')
    return backups
  }

  private knowledgeBase(): KnowledgeBase {
    const base = this.deps.knowledge.current
    if (!base) throw new ApiError('unavailable', 'No knowledge-base folder is set: choose one in Settings.')
    return base
  }

  private keys(): IntegrationKeys {
    const keys = this.deps.integrationKeys
    if (keys instanceof IntegrationKeys) return keys
    throw new ApiError('unavailable', `Integration keys are unavailable: ${keys.message}`)
  }

  /** The conversation, or not-found: checked once, before anything is written. */
  private existing(id: number): Conversation {
    const conversation = this.deps.store.getConversation(id)
    if (!conversation) throw notFound(id)
    return conversation
  }

  private async detail(id: number): Promise<ConversationDetail> {
    const detail = this.deps.store.getDetail(id)
    if (!detail) throw notFound(id)
    return { ...detail, customerLanguage: await customerLanguage(detail.messages) }
  }

  private addMessage(conversationId: number, role: 'customer' | 'agent', text: string): Message {
    return this.guard(() => this.deps.store.addMessage({ conversationId, role, text, source: APP_SOURCE }))
  }

  private id(value: unknown): number {
    return parseInput(idSchema, value, 'conversation id')
  }

  /** Runs a core call, turning the refusals it knows into ApiErrors; bugs pass through to the transport. */
  private guard<T>(call: () => T): T {
    try {
      return call()
    } catch (error) {
      throw knownApiError(error) ?? error
    }
  }
}

// Every declared method parses its arguments with its declaration before its body runs.
checkArguments(ApiService)

/** startReplyToMessages' input: the messages to add, oldest first, ending with the customer's. */
const messagesReplyRequest = z.object({
  messages: z
    .array(
      z.discriminatedUnion('role', [
        z.object({ role: z.literal('customer'), text: messageText }),
        z.object({ role: z.literal('agent'), text: replyText }),
      ]),
    )
    .min(1, "give at least the customer's message")
    .refine((messages) => messages.at(-1)?.role === 'customer', "the last message must be the customer's"),
  conversationId: idSchema.optional(),
  source: sourceName,
})

const notFound = (id: number): ApiError => new ApiError('not-found', `Conversation ${id} does not exist.`)
const tagNotFound = (id: number): ApiError => new ApiError('not-found', `Tag ${id} does not exist.`)

function exportSelection(request: ExportRequest): ExportSelection {
  return request.ids && request.ids.length > 0 ? { ids: request.ids } : { filter: request.filter ?? {} }
}

/** Counting runs the selection's SQL once, so a bad filter is refused before anything is written. */
function checkedSelection(store: TranscriptStore, selection: ExportSelection): ExportSelection {
  store.exporter.count(selection)
  return selection
}

/** A name in use is a conflict; the store's other refusals as usual. */
function reviewCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof NameTakenError) throw new ApiError('conflict', error.message)
    throw knownApiError(error) ?? error
  }
}

/** Backups' refusals: an unknown backup is not-found, a bad one invalid input; a file system failure is 'unavailable'. */
async function backupCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof BackupNotFound) throw new ApiError('not-found', error.message)
    const known = knownApiError(error)
    if (known) throw known
    if (error instanceof Error && 'code' in error) throw new ApiError('unavailable', `The backup could not be made: ${error.message}`)
    throw error
  }
}

export type { BulkExportFormat }
const snippetNotFound = (id: number): ApiError => new ApiError('not-found', `Snippet ${id} does not exist; it may have been deleted.`)

/** Steering's own refusals as ApiErrors: a shortcut in use is a conflict; an unknown customer language, bad input. */
function steeringCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof SnippetShortcutTaken) throw new ApiError('conflict', error.message)
    if (error instanceof UnknownCustomerLanguage) throw new ApiError('invalid-input', error.message)
    throw knownApiError(error) ?? error
  }
}

/** The key store's refusals as ApiErrors; a file that cannot be written is 'unavailable', naming the file (in fs's message). */
function keysCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError('invalid-input', error.message)
    if (error instanceof IntegrationKeyNameTaken) throw new ApiError('conflict', error.message)
    if (error instanceof Error && 'code' in error) throw new ApiError('unavailable', `The integration keys could not be saved: ${error.message}`)
    throw error
  }
}

function stopAndWait(generation: Generation): Promise<void> {
  return new Promise((resolve) => {
    generation.onEnded(resolve)
    generation.stop('agent')
  })
}
