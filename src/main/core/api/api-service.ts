// The renderer-facing API over the core: the one service behind IPC (desktop) and the REST routes (web mode).
// Every argument is validated here, whoever the caller, and every refusal is an ApiError with a code.
import { DEFAULT_CONVERSATION_TITLE, shouldTitleFromFirstMessage, titleFromMessage } from '../../../shared/conversation-title'
import { z } from 'zod'
import {
  ApiError,
  type ConversationEvent,
  type ExportedTranscript,
  type ExportFormat,
  type ListConversationsQuery,
  type SettingsUpdate,
  type SettingsView,
  type SupportConsoleApi,
  type Unsubscribe,
} from '../../../shared/api'
import { APP_SOURCE, type Conversation, type ConversationDetail, type ConversationPage, type Message } from '../../../shared/domain'
import { conversationId as idSchema, createConversationInput, exportFormat, listQuery, messageText, replyText, title as titleSchema } from '../../../shared/schemas'
import type { SettingsService } from '../config/settings-service'
import type { DraftingService } from '../drafting/drafting-service'
import type { TranscriptStore } from '../store/transcript-store'
import type { Generation } from '../streaming/generation'
import type { StreamHub } from '../streaming/stream-hub'
import { knownApiError, parseInput } from './api-errors'
import { exportTranscript } from './export-transcript'

export interface ApiServiceDeps {
  store: TranscriptStore
  drafting: DraftingService
  hub: StreamHub
  settings: SettingsService
  /** The local server's address, shown in Settings; known only once the server listens. */
  endpointUrl: () => string
}

const listener = z.custom<(event: ConversationEvent) => void>((value) => typeof value === 'function', 'listener must be a function')

export class ApiService implements SupportConsoleApi {
  constructor(private readonly deps: ApiServiceDeps) {}

  async listConversations(query: ListConversationsQuery): Promise<ConversationPage> {
    const parsed = parseInput(listQuery, query ?? {})
    return this.guard(() => this.deps.store.listConversations(parsed))
  }

  async getConversation(id: number): Promise<ConversationDetail> {
    const conversationId = this.id(id)
    const detail = this.deps.store.getDetail(conversationId)
    if (!detail) throw notFound(conversationId)
    return detail
  }

  async createConversation(input: { title?: string }): Promise<Conversation> {
    const { title } = parseInput(createConversationInput, input ?? {})
    return this.guard(() => this.deps.store.createConversation({ title: title ?? DEFAULT_CONVERSATION_TITLE, source: APP_SOURCE }))
  }

  async renameConversation(id: number, title: string): Promise<Conversation> {
    const conversationId = this.id(id)
    const clean = parseInput(titleSchema, title)
    const renamed = this.guard(() => this.deps.store.renameConversation(conversationId, clean))
    if (!renamed) throw notFound(conversationId)
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
    const parsed = parseInput(messageText, text)
    const before = this.existing(conversationId)
    const message = this.addMessage(before.id, 'customer', parsed)
    if (shouldTitleFromFirstMessage(before.title, before.messageCount)) {
      this.guard(() => this.deps.store.renameConversation(before.id, titleFromMessage(parsed)))
    }
    return message
  }

  async useReply(conversationId: number, text: string): Promise<Message> {
    const reply = parseInput(replyText, text)
    return this.addMessage(this.existing(conversationId).id, 'agent', reply)
  }

  /**
   * The draft belongs to the app, not to whoever watches it: nobody subscribes to it as its audience, so it
   * runs to the end (or until stopDraft) even when every window following it has closed.
   */
  async startDraft(conversationId: number): Promise<{ messageId: number }> {
    const id = this.id(conversationId)
    const generation = this.guard(() => this.deps.drafting.draft(id, APP_SOURCE))
    return { messageId: generation.messageId }
  }

  async stopDraft(conversationId: number): Promise<void> {
    const { id } = this.existing(conversationId)
    // Nothing live is not an error: the draft may have finished while the agent reached for Stop.
    const live = this.deps.hub.liveIn(id)
    if (live) await stopAndWait(live)
  }

  onConversationEvents(conversationId: number, onEvent: (event: ConversationEvent) => void): Unsubscribe {
    const { id } = this.existing(conversationId)
    const deliver = parseInput(listener, onEvent)
    const detachers = new Set<() => void>()
    let active = true
    const follow = (generation: Generation): void => {
      // Not audience: a closed window must not stop a draft (the grace period is for abandoned SSE requests).
      const unsubscribe = generation.subscribe((event) => deliver({ messageId: generation.messageId, event }), { audience: false })
      if (!active) return unsubscribe()
      detachers.add(unsubscribe)
      // Finished generations are let go of, so a long-lived subscription does not collect one per draft.
      generation.onEnded(() => {
        unsubscribe()
        detachers.delete(unsubscribe)
      })
    }
    const unfollow = this.deps.hub.follow(id, follow)
    return () => {
      if (!active) return
      active = false
      unfollow()
      for (const detach of detachers) detach()
      detachers.clear()
    }
  }

  async exportConversation(id: number, format: ExportFormat): Promise<ExportedTranscript> {
    const detail = await this.getConversation(id)
    return exportTranscript(detail, parseInput(exportFormat, format, 'format'))
  }

  async getSettings(): Promise<SettingsView> {
    return this.deps.settings.view(this.deps.endpointUrl())
  }

  async updateSettings(update: SettingsUpdate): Promise<SettingsView> {
    await this.deps.settings.update(update)
    return this.getSettings()
  }

  /** The conversation, or not-found: checked once, before anything is written. */
  private existing(conversationId: number): Conversation {
    const id = this.id(conversationId)
    const conversation = this.deps.store.getConversation(id)
    if (!conversation) throw notFound(id)
    return conversation
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

const notFound = (id: number): ApiError => new ApiError('not-found', `Conversation ${id} does not exist.`)

function stopAndWait(generation: Generation): Promise<void> {
  return new Promise((resolve) => {
    generation.onEnded(resolve)
    generation.stop('agent')
  })
}
