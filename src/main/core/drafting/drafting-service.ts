// Drafting a reply: the transcript gives the turns, Gemini streams the draft, the hub fans it out and the
// store saves it as it streams. Every way a draft can end is decided here, once.
import type { DraftError, TokenUsage } from '../../../shared/domain'
import { titleFromMessage } from '../../../shared/conversation-title'
import type { FinalStatus } from '../../../shared/generation-events'
import type { ReplyModel } from '../gemini/types'
import { Generation, type StopReason } from '../streaming/generation'
import type { StreamHub } from '../streaming/stream-hub'
import type { TranscriptStore } from '../store/transcript-store'
import { conversationTurns } from './conversation-turns'

export interface DraftSettings {
  model: string
  systemInstruction: string
  disconnectGraceMs: number
}

/** A request the service cannot take, with an HTTP-like status for callers that speak HTTP. */
export class DraftRequestError extends Error {
  override name = 'DraftRequestError'
  constructor(
    readonly code: 'not-found' | 'conflict' | 'invalid-input',
    message: string,
  ) {
    super(message)
  }
}

const stopMessages: Record<StopReason, string> = {
  agent: 'Stopped by the agent.',
  abandoned: 'Stopped because nobody was listening any more.',
  shutdown: 'Stopped because Support Console was closing.',
}

const noUsage: TokenUsage = { promptTokens: null, outputTokens: null, totalTokens: null }

export class DraftingService {
  constructor(
    private readonly store: TranscriptStore,
    private readonly model: ReplyModel,
    private readonly hub: StreamHub,
    private readonly settings: () => DraftSettings,
  ) {}

  /** Adds the customer's message (to a new conversation unless one is given), then drafts a reply. */
  replyTo(input: { message: string; conversationId?: number; source: string }): Generation {
    const conversationId = input.conversationId ?? this.store.createConversation({ title: titleFromMessage(input.message), source: input.source }).id
    this.ensureDraftable(conversationId)
    this.store.addMessage({ conversationId, role: 'customer', text: input.message, source: input.source })
    return this.draft(conversationId, input.source)
  }

  /** Drafts a reply to the conversation as it stands. */
  draft(conversationId: number, source: string): Generation {
    this.ensureDraftable(conversationId)
    const turns = conversationTurns(this.store.getMessages(conversationId))
    if (turns.length === 0) throw new DraftRequestError('invalid-input', 'There is nothing to reply to yet: add the customer’s message first.')

    const { model, systemInstruction, disconnectGraceMs } = this.settings()
    const draft = this.store.startDraft({ conversationId, source, model })
    const generation = new Generation(conversationId, draft.id, model, disconnectGraceMs)
    this.hub.add(generation)
    generation.emit({ type: 'meta', conversationId, messageId: draft.id, model })
    void this.run(generation, { model, systemInstruction, turns })
    return generation
  }

  private ensureDraftable(conversationId: number): void {
    if (!this.store.getConversation(conversationId)) {
      throw new DraftRequestError('not-found', `Conversation ${conversationId} does not exist.`)
    }
    if (this.hub.liveIn(conversationId)) {
      throw new DraftRequestError('conflict', `A draft is already streaming in conversation ${conversationId}; follow it or stop it first.`)
    }
  }

  private async run(generation: Generation, request: { model: string; systemInstruction: string; turns: ReturnType<typeof conversationTurns> }): Promise<void> {
    const started = performance.now()
    let firstTokenMs: number | null = null
    let usage: TokenUsage | null = null
    let finishReason: string | null = null
    let error: DraftError | null = null

    try {
      for await (const event of this.model.streamReply({ ...request, signal: generation.signal })) {
        if (event.type === 'text') {
          if (event.text === '') continue
          firstTokenMs ??= Math.round(performance.now() - started)
          this.store.appendDraftText(generation.messageId, event.text)
          generation.emit({ type: 'delta', text: event.text })
        } else if (event.type === 'usage') {
          usage = event.usage
        } else {
          finishReason = event.finishReason
          if (event.type === 'error') error = event.error
        }
      }
    } catch (unexpected) {
      // The client promises never to throw; if it does anyway, the draft still ends cleanly with its text.
      error = { kind: 'network', retryable: true, message: `The draft failed unexpectedly: ${(unexpected as Error).message}` }
    }

    const stopReason = generation.stopReason
    if (stopReason) error = { kind: 'cancelled', retryable: true, message: stopMessages[stopReason] }
    const status: FinalStatus = stopReason ? 'stopped' : !error ? 'complete' : error.kind === 'blocked' ? 'blocked' : 'error'
    const durationMs = Math.round(performance.now() - started)

    try {
      this.store.finishDraft(generation.messageId, {
        status,
        usage: usage ?? noUsage,
        firstTokenMs,
        durationMs,
        finishReason,
        errorKind: error?.kind ?? null,
        errorMessage: error?.message ?? null,
      })
    } catch (saveError) {
      console.error(`draft ${generation.messageId}: could not save the result:`, (saveError as Error).message)
    }
    if (usage) generation.emit({ type: 'usage', usage })
    generation.emit({ type: 'end', status, finishReason, error, firstTokenMs, durationMs })
  }
}
