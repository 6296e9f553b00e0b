// Conversations and their messages as the agent handles them: list, open, create, rename, delete, add a
// customer's message, keep a reply, export one transcript.
import { DEFAULT_CONVERSATION_TITLE, shouldTitleFromFirstMessage, titleFromMessage } from '../../../shared/conversation-title'
import type { ExportedTranscript, ExportFormat } from '../../../shared/api'
import { APP_SOURCE, type Conversation, type ConversationDetail, type Message } from '../../../shared/domain'
import type { ConversationQuery, ReviewConversationPage } from '../../../shared/review'
import { customerLanguage } from '../drafting/customer-language'
import type { ApiServiceDeps } from './api-deps'
import { guard } from './api-errors'
import { conversationNotFound, existingConversation, stopAndWait } from './conversation-checks'
import { exportTranscript } from './export-transcript'

export class ConversationsApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'store' | 'hub'>) {}

  async listConversations(query: ConversationQuery): Promise<ReviewConversationPage> {
    return guard(() => this.deps.store.listConversations(query))
  }

  async getConversation(id: number): Promise<ConversationDetail> {
    return this.detail(id)
  }

  async createConversation(input: { title?: string }): Promise<Conversation> {
    return guard(() => this.deps.store.createConversation({ title: input.title ?? DEFAULT_CONVERSATION_TITLE, source: APP_SOURCE }))
  }

  async renameConversation(id: number, title: string): Promise<Conversation> {
    const renamed = guard(() => this.deps.store.renameConversation(id, title))
    if (!renamed) throw conversationNotFound(id)
    return renamed
  }

  async deleteConversation(id: number): Promise<void> {
    const { store, hub } = this.deps
    const conversationId = existingConversation(store, id).id
    // Stopped first so the draft ends cleanly (saved, its listeners told) rather than writing into nothing.
    // Looped because an integration may start another draft while we wait; no await sits between the
    // last check and the delete, so none can slip in after it.
    for (let live = hub.liveIn(conversationId); live; live = hub.liveIn(conversationId)) {
      await stopAndWait(live)
    }
    if (!store.deleteConversation(conversationId)) throw conversationNotFound(conversationId)
  }

  async addCustomerMessage(conversationId: number, text: string): Promise<Message> {
    const { store } = this.deps
    const before = existingConversation(store, conversationId)
    const message = guard(() => store.addMessage({ conversationId: before.id, role: 'customer', text, source: APP_SOURCE }))
    if (shouldTitleFromFirstMessage(before.title, before.messageCount)) {
      guard(() => store.renameConversation(before.id, titleFromMessage(text)))
    }
    return message
  }

  async useReply(conversationId: number, text: string, draftId?: number): Promise<Message> {
    const { id } = existingConversation(this.deps.store, conversationId)
    return guard(() => this.deps.store.addReply({ conversationId: id, text, source: APP_SOURCE, draftId }))
  }

  async exportConversation(id: number, format: ExportFormat): Promise<ExportedTranscript> {
    return exportTranscript(await this.detail(id), format)
  }

  private async detail(id: number): Promise<ConversationDetail> {
    const detail = this.deps.store.getDetail(id)
    if (!detail) throw conversationNotFound(id)
    return { ...detail, customerLanguage: await customerLanguage(detail.messages) }
  }
}
