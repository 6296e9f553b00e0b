// Drafts and how the agent steers them: start and stop a draft, draft from the knowledge base when Gemini cannot
// be reached, rewrite a draft, summarize the conversation, and rate a draft.
import { ApiError } from '../../../shared/api'
import { APP_SOURCE, type Message } from '../../../shared/domain'
import { CUSTOMER_LANGUAGE, type DraftFeedbackInput, type RewriteInstruction } from '../../../shared/steering'
import { customerLanguage } from '../drafting/customer-language'
import { instructionWords, UnknownCustomerLanguage } from '../drafting/steering-prompts'
import type { ApiServiceDeps } from './api-deps'
import { guard, knownApiError } from './api-errors'
import { existingConversation, stopAndWait } from './conversation-checks'

export class DraftsApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'store' | 'drafting' | 'hub'>) {}

  /**
   * The draft belongs to the app, not to whoever watches it: nobody subscribes to it as its audience, so it
   * runs to the end (or until stopDraft) even when every window following it has closed.
   */
  async startDraft(conversationId: number): Promise<{ messageId: number }> {
    const generation = guard(() => this.deps.drafting.draft(conversationId, APP_SOURCE))
    return { messageId: generation.messageId }
  }

  async stopDraft(conversationId: number): Promise<void> {
    const { id } = existingConversation(this.deps.store, conversationId)
    // Nothing live is not an error: the draft may have finished while the agent reached for Stop.
    const live = this.deps.hub.liveIn(id)
    if (live) await stopAndWait(live)
  }

  /** Offered when Gemini cannot be reached (no key, no network, auth or quota): a draft assembled from the knowledge base. */
  async draftFromKnowledgeBase(conversationId: number): Promise<Message> {
    return guard(() => this.deps.drafting.draftFromKnowledgeBase(conversationId, APP_SOURCE))
  }

  /**
   * Like startDraft, a rewrite belongs to the app and runs until it ends or stopDraft. Translating to the customer's
   * language needs one detected from their messages; without it the agent is asked to choose one.
   */
  async rewriteDraft(conversationId: number, input: { text: string; instruction: RewriteInstruction }): Promise<{ messageId: number }> {
    const { id } = existingConversation(this.deps.store, conversationId)
    const translatesToCustomer = input.instruction.kind === 'translate' && input.instruction.language === CUSTOMER_LANGUAGE
    const language = translatesToCustomer ? await customerLanguage(this.deps.store.getMessages(id)) : null
    const instruction = rewriteCall(() => instructionWords(input.instruction, language))
    const generation = guard(() => this.deps.drafting.rewrite(id, APP_SOURCE, { text: input.text, instruction }))
    return { messageId: generation.messageId }
  }

  async summarizeConversation(conversationId: number): Promise<{ messageId: number }> {
    const generation = guard(() => this.deps.drafting.summarize(conversationId, APP_SOURCE))
    return { messageId: generation.messageId }
  }

  async setDraftFeedback(messageId: number, feedback: DraftFeedbackInput): Promise<Message> {
    const message = guard(() => this.deps.store.setFeedback(messageId, feedback))
    if (!message) throw new ApiError('not-found', `Message ${messageId} does not exist.`)
    return message
  }
}

/** A rewrite's own refusal: an unknown customer language is bad input (the agent chooses one instead). */
function rewriteCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof UnknownCustomerLanguage) throw new ApiError('invalid-input', error.message)
    throw knownApiError(error) ?? error
  }
}
