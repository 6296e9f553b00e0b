// The renderer-facing API: everything the React console may ask of the rest of the app. The preload
// implements it over IPC in the desktop app; an HTTP/SSE implementation serves it to a browser in web mode.
// Both end in the same core service, so the UI cannot tell them apart.
import type { Conversation, ConversationDetail, ConversationPage, Message } from './domain'
import type { GenerationEvent } from './generation-events'

export type Unsubscribe = () => void

export interface ListConversationsQuery {
  q?: string
  limit?: number
  cursor?: string
}

/** A live generation's event, with the draft message it belongs to. */
export interface ConversationEvent {
  messageId: number
  event: GenerationEvent
}

export type ApiKeyStorage =
  /** Encrypted by the OS keychain (Electron safeStorage). */
  | 'os-encrypted'
  /** Saved in a file only this user can read, but not encrypted (web mode, or Linux without a keyring). */
  | 'plaintext'
  /** Taken from GEMINI_API_KEY; cannot be changed from the console. */
  | 'environment'
  | 'none'

/** Settings as the console shows them. The API key itself never leaves the main process. */
export interface SettingsView {
  model: string
  systemInstruction: string
  allowedOrigins: string[]
  apiKey: { present: boolean; storage: ApiKeyStorage }
  /** The local endpoint integrations use. */
  endpoint: { url: string; token: string }
  dataDir: string
}

export interface SettingsUpdate {
  model?: string
  systemInstruction?: string
  allowedOrigins?: string[]
  /** A new key, or null to remove the saved one. Write-only: it is never read back. */
  apiKey?: string | null
}

export type ExportFormat = 'markdown' | 'json'

export interface ExportedTranscript {
  filename: string
  mimeType: string
  content: string
}

export const API_ERROR_CODES = ['invalid-input', 'not-found', 'conflict', 'unavailable', 'internal'] as const
export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

/** What every API method rejects with: a code the UI can act on and a sentence an agent understands. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export interface SupportConsoleApi {
  listConversations(query: ListConversationsQuery): Promise<ConversationPage>
  getConversation(id: number): Promise<ConversationDetail>
  /** A new, empty conversation started by the agent; the title defaults to "New conversation". */
  createConversation(input: { title?: string }): Promise<Conversation>
  renameConversation(id: number, title: string): Promise<Conversation>
  /** Deletes the conversation and all its messages; a live draft in it is stopped first. */
  deleteConversation(id: number): Promise<void>
  /** Records a customer's message (pasted or typed by the agent). */
  addCustomerMessage(conversationId: number, text: string): Promise<Message>
  /** Saves the agent's final reply (usually an edited draft) as the agent's message. */
  useReply(conversationId: number, text: string): Promise<Message>
  /** Starts Gemini drafting a reply to the conversation; follow it with onConversationEvents. */
  startDraft(conversationId: number): Promise<{ messageId: number }>
  /** Stops the conversation's live draft, aborting the request to Gemini. Resolves when it has ended. */
  stopDraft(conversationId: number): Promise<void>
  /**
   * Calls `listener` with every event of the conversation's live draft (replayed from its start if it is
   * already running) and of each draft started later, until unsubscribed.
   */
  onConversationEvents(conversationId: number, listener: (event: ConversationEvent) => void): Unsubscribe
  exportConversation(id: number, format: ExportFormat): Promise<ExportedTranscript>
  getSettings(): Promise<SettingsView>
  updateSettings(update: SettingsUpdate): Promise<SettingsView>
}
