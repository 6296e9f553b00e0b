// Drafting a reply: the transcript gives the turns, Gemini streams the draft, the hub fans it out and the
// store saves it as it streams. Every way a draft can end is decided here, once.
import { setImmediate } from 'node:timers/promises'
import { ApiError, type ApiErrorCode } from '../../../shared/api'
import type { DraftError, Message, TokenUsage } from '../../../shared/domain'
import { OFFLINE_DRAFT_MODEL, type DraftSource } from '../../../shared/knowledge'
import type { MessageKind } from '../../../shared/steering'
import { titleFromMessage } from '../../../shared/conversation-title'
import type { FinalStatus } from '../../../shared/generation-events'
import { truncationNotice } from '../../../shared/truncation'
import type { ReplyEvent, ReplyModel, Turn } from '../gemini/types'
import type { KnowledgeBase } from '../knowledge/knowledge-base'
import { assembleOfflineReply, sentencesOf } from '../knowledge/offline-reply'
import { Generation, type StopReason } from '../streaming/generation'
import type { StreamHub } from '../streaming/stream-hub'
import { storageDraftError, StorageFailureError } from '../store/storage-failure'
import type { TranscriptStore } from '../store/transcript-store'
import { conversationTurns } from './conversation-turns'
import { groundedSystemInstruction, retrieveSources } from './grounding'
import { rewriteRequest, summaryRequest } from './steering-prompts'

export interface DraftSettings {
  model: string
  systemInstruction: string
  disconnectGraceMs: number
  /** Knowledge-base passages per draft, at most, and the tokens they may take (grounding.ts). */
  kbPassages: number
  kbTokenBudget: number
}

/** A request the service cannot take: an ApiError, so every transport answers it with the one code-to-status table. */
export class DraftRequestError extends ApiError {
  override name = 'DraftRequestError'
  constructor(code: Extract<ApiErrorCode, 'not-found' | 'conflict' | 'invalid-input'>, message: string) {
    super(code, message)
  }
}

const stopMessages: Record<StopReason, string> = {
  agent: 'Stopped by the agent.',
  abandoned: 'Stopped because nobody was listening any more.',
  shutdown: 'Stopped because Support Console was closing.',
}

/** A reply draft whose row is saved and whose request is ready to send. */
interface PreparedDraft {
  conversationId: number
  messageId: number
  model: string
  disconnectGraceMs: number
  sources: DraftSource[]
  systemInstruction: string
  turns: Turn[]
}

const noUsage: TokenUsage = { promptTokens: null, outputTokens: null, totalTokens: null }

/** Passages an offline draft quotes, at most: it is a starting point for the agent, not a digest of the folder. */
const OFFLINE_PASSAGES = 3

/** What an offline draft answers: the customer's messages since the agent last wrote, or else their last one. */
function customerQuestion(messages: readonly Message[]): string {
  const people = messages.filter((m) => (m.role === 'customer' || m.role === 'agent') && m.text.trim() !== '')
  const lastAgent = people.findLastIndex((m) => m.role === 'agent')
  const since = people.slice(lastAgent + 1).filter((m) => m.role === 'customer')
  const asked = since.length > 0 ? since : people.filter((m) => m.role === 'customer').slice(-1)
  return asked.map((m) => m.text).join('\n\n')
}

export class DraftingService {
  private closing = false

  constructor(
    private readonly store: TranscriptStore,
    private readonly model: ReplyModel,
    private readonly hub: StreamHub,
    private readonly settings: () => DraftSettings,
    /** The knowledge base drafts are grounded in, read at each draft (Settings can switch folders); undefined: none. */
    private readonly knowledge: () => KnowledgeBase | undefined = () => undefined,
  ) {}

  /**
   * Refuses every new draft from now on. The core's close() calls it before stopping the running drafts, so
   * none can start in between and be cut by the closing server and database.
   */
  refuseNewDrafts(): void {
    this.closing = true
  }

  /** Adds the customer's message (to a new conversation unless one is given), then drafts a reply. */
  replyTo(input: { message: string; conversationId?: number; source: string }): Generation {
    // Before anything is written: a refused request leaves no conversation or message behind.
    this.ensureOpen()
    // One commit for the conversation, the customer's message and the draft row, synced to disk off this thread
    // (writeTogether): three commits, one of them fsynced here, cost every other stream on this thread its time.
    const prepared = this.store.writeTogether(() => {
      const conversationId =
        input.conversationId ?? this.store.createConversation({ title: titleFromMessage(input.message), source: input.source }).id
      this.ensureDraftable(conversationId)
      this.store.addMessage({ conversationId, role: 'customer', text: input.message, source: input.source })
      return this.prepareDraft(conversationId, input.source)
    })
    return this.launch(prepared)
  }

  /** Drafts a reply to the conversation as it stands. */
  draft(conversationId: number, source: string): Generation {
    this.ensureOpen()
    this.ensureDraftable(conversationId)
    return this.launch(this.prepareDraft(conversationId, source))
  }

  /** The store's part of starting a reply draft: the turns, the passages it is grounded in, and its row. */
  private prepareDraft(conversationId: number, source: string): PreparedDraft {
    const messages = this.store.getMessages(conversationId)
    const turns = conversationTurns(messages)
    if (turns.length === 0) throw new DraftRequestError('invalid-input', 'There is nothing to reply to yet: add the customer’s message first.')

    const { model, systemInstruction: persona, disconnectGraceMs, kbPassages, kbTokenBudget } = this.settings()
    // Retrieved before the draft row exists, so the row and the passages it cites are saved together.
    const sources = retrieveSources(this.knowledge(), messages, { passages: kbPassages, tokenBudget: kbTokenBudget })
    const systemInstruction = groundedSystemInstruction(persona, sources)
    const draft = this.store.startDraft({ conversationId, source, model, sources })
    return { conversationId, messageId: draft.id, model, disconnectGraceMs, sources, systemInstruction, turns }
  }

  /** Starts the generation of a prepared reply draft and the request to Gemini. */
  private launch({ conversationId, messageId, model, disconnectGraceMs, sources, systemInstruction, turns }: PreparedDraft): Generation {
    const generation = new Generation(conversationId, messageId, model, disconnectGraceMs)
    this.hub.add(generation)
    generation.emit({ type: 'meta', conversationId, messageId, model })
    // Before any text, so a client can link the [n] markers as they stream in; none at all when nothing matched.
    if (sources.length > 0) generation.emit({ type: 'sources', sources })
    void this.run(generation, { model, systemInstruction, turns }, 'reply')
    return generation
  }

  /**
   * An offline draft: a reply assembled from the best-matching knowledge-base passages, with their sources, for
   * when Gemini cannot be reached. Saved complete at once, under a model name that says what it is, so it is
   * never shown or counted as a Gemini reply; the agent edits and uses it like any draft.
   */
  draftFromKnowledgeBase(conversationId: number, source: string): Message {
    this.ensureOpen()
    this.ensureDraftable(conversationId)
    const knowledge = this.knowledge()
    if (!knowledge) throw new ApiError('unavailable', 'No knowledge-base folder is set: choose one in Settings to draft from it.')
    const messages = this.store.getMessages(conversationId)
    const question = customerQuestion(messages)
    if (question === '') throw new DraftRequestError('invalid-input', 'There is nothing to reply to yet: add the customer’s message first.')
    const { kbPassages, kbTokenBudget } = this.settings()
    const found = retrieveSources(knowledge, messages, { passages: Math.min(kbPassages, OFFLINE_PASSAGES), tokenBudget: kbTokenBudget })
      // A passage with no sentence in it (a table of numbers) has nothing to quote.
      .filter((passage) => sentencesOf(passage.text).length > 0)
      .map((passage, index) => ({ ...passage, n: index + 1 }))
    if (found.length === 0) {
      throw new DraftRequestError('not-found', 'No passage of the knowledge base matches this conversation, so there is nothing to draft from.')
    }
    const { text } = assembleOfflineReply(question, found)
    return this.store.addOfflineDraft({ conversationId, source, model: OFFLINE_DRAFT_MODEL, text, sources: found })
  }

  /**
   * Rewrites a text (a draft, or the agent's own words) as the instruction says, with the conversation as context.
   * Streams and ends like a reply draft and is saved as a draft of kind 'rewrite' with its instruction in words.
   * Not grounded in the knowledge base: it reworks the given text rather than answering the customer.
   */
  rewrite(conversationId: number, source: string, input: { text: string; instruction: string }): Generation {
    this.ensureOpen()
    this.ensureDraftable(conversationId)
    const messages = this.store.getMessages(conversationId)
    const request = rewriteRequest({ messages, text: input.text, instruction: input.instruction, persona: this.settings().systemInstruction })
    return this.steer(conversationId, source, { kind: 'rewrite', instruction: input.instruction, ...request })
  }

  /**
   * Summarizes the conversation for the agent (issue, promises, open questions). Streams like a draft, of kind
   * 'summary'; once complete its text becomes the conversation's summary (run()).
   */
  summarize(conversationId: number, source: string): Generation {
    this.ensureOpen()
    this.ensureDraftable(conversationId)
    const messages = this.store.getMessages(conversationId)
    if (!messages.some((m) => (m.role === 'customer' || m.role === 'agent') && m.text.trim() !== '')) {
      throw new DraftRequestError('invalid-input', 'There is nothing to summarize yet: the conversation has no messages.')
    }
    return this.steer(conversationId, source, { kind: 'summary', instruction: null, ...summaryRequest(messages) })
  }

  /** Starts a rewrite or summary the way draft() starts a reply: row first, then the generation, then Gemini. */
  private steer(
    conversationId: number,
    source: string,
    request: { kind: Extract<MessageKind, 'rewrite' | 'summary'>; instruction: string | null; systemInstruction: string; turns: Turn[] },
  ): Generation {
    const { model, disconnectGraceMs } = this.settings()
    const { kind, instruction, systemInstruction, turns } = request
    const draft = this.store.startDraft({ conversationId, source, model, kind, instruction })
    const generation = new Generation(conversationId, draft.id, model, disconnectGraceMs)
    this.hub.add(generation)
    // The kind tells a client following the conversation that this is not a reply to offer the agent.
    generation.emit({ type: 'meta', conversationId, messageId: draft.id, model, kind, instruction })
    void this.run(generation, { model, systemInstruction, turns }, kind)
    return generation
  }

  private ensureOpen(): void {
    if (this.closing) throw new ApiError('unavailable', 'Support Console is closing.')
  }

  private ensureDraftable(conversationId: number): void {
    if (!this.store.getConversation(conversationId)) {
      throw new DraftRequestError('not-found', `Conversation ${conversationId} does not exist.`)
    }
    if (this.hub.liveIn(conversationId)) {
      throw new DraftRequestError('conflict', `A draft is already streaming in conversation ${conversationId}; follow it or stop it first.`)
    }
  }

  private async run(
    generation: Generation,
    request: { model: string; systemInstruction: string; turns: ReturnType<typeof conversationTurns> },
    kind: MessageKind,
  ): Promise<void> {
    const started = performance.now()
    let firstTokenMs: number | null = null
    let usage: TokenUsage | null = null
    let finishReason: string | null = null
    let error: DraftError | null = null
    let ended = false

    // A handler that throws (the store refusing the text) ends the request as a `for await` loop's break would.
    const local = new AbortController()
    const signal = AbortSignal.any([generation.signal, local.signal])
    let unexpected: unknown
    const onEvent = (event: ReplyEvent): void => {
      if (unexpected !== undefined) return
      try {
        if (event.type === 'text') {
          if (event.text === '') return
          firstTokenMs ??= Math.round(performance.now() - started)
          this.store.appendDraftText(generation.messageId, event.text)
          generation.emit({ type: 'delta', text: event.text })
        } else if (event.type === 'usage') {
          usage = event.usage
        } else {
          finishReason = event.finishReason
          if (event.type === 'error') error = event.error
          else ended = true
        }
      } catch (thrown) {
        unexpected = thrown
        local.abort()
      }
    }
    try {
      // Callbacks where the model has them: no async iterator per event between Gemini and the generation.
      if (this.model.deliverReply) await this.model.deliverReply({ ...request, signal }, onEvent)
      else {
        for await (const event of this.model.streamReply({ ...request, signal })) {
          onEvent(event)
          if (unexpected !== undefined) break
        }
      }
    } catch (thrown) {
      unexpected ??= thrown
    }
    if (unexpected !== undefined) {
      // The client promises never to throw; if it (or a handler) does anyway, the draft still ends cleanly with its text.
      error = { kind: 'network', retryable: true, message: `The draft failed unexpectedly: ${(unexpected as Error).message}` }
    }

    const stopReason = generation.stopReason
    if (stopReason) error = { kind: 'cancelled', retryable: true, message: stopMessages[stopReason] }
    // A stream that ended without STOP (MAX_TOKENS, no finishReason at all, OTHER, ...) is not a whole reply.
    const truncation = !stopReason && !error && ended ? truncationNotice(finishReason) : null
    let status: FinalStatus = stopReason ? 'stopped' : truncation ? 'truncated' : !error ? 'complete' : error.kind === 'blocked' ? 'blocked' : 'error'
    const durationMs = Math.round(performance.now() - started)
    // Finishing (its commit, the end event, closing sockets) waits until the I/O already read in this turn of the
    // event loop is handled: when many drafts end together, their last chunks go out first instead of queuing
    // behind every finish (issue 11: that queue was the relay's chunk-latency p99).
    await setImmediate()

    try {
      // No read-back of the saved message: only a summary needs its text, and only when it is complete.
      this.store.endDraft(generation.messageId, {
        status,
        usage: usage ?? noUsage,
        firstTokenMs,
        durationMs,
        finishReason,
        errorKind: error?.kind ?? null,
        errorMessage: error?.message ?? null,
      })
      // Only a whole summary replaces the conversation's; before the end event, so a client that reloads on it sees it.
      if (kind === 'summary' && status === 'complete') {
        const text = this.store.getMessage(generation.messageId)?.text ?? ''
        if (text.trim() !== '') this.store.setSummary(generation.conversationId, text)
      }
    } catch (saveError) {
      if (saveError instanceof StorageFailureError) {
        // Not saved: the listeners must not take the draft for done. The store keeps the text and this outcome
        // and writes them when it can (the row then gets `status` above); the end event says so instead.
        error = storageDraftError(saveError.code)
        status = 'error'
      } else {
        console.error(`draft ${generation.messageId}: could not save the result:`, (saveError as Error).message)
      }
    }
    if (usage) generation.emit({ type: 'usage', usage })
    generation.emit({ type: 'end', status, finishReason, error, truncation: status === 'truncated' ? truncation : null, firstTokenMs, durationMs })
  }
}
