// What the renderer-facing API exchanges: its values, its disposer and the one error type it rejects with.
// Apart from api.ts so that api-contract.ts (which api.ts derives the API from) can use them without a cycle.
import type { GenerationEvent } from './generation-events'
import type { exportFormat, settingsUpdate } from './schemas'
import type { z } from 'zod'

/** Ends what it was returned for (a subscription); calling it again does nothing. */
export type Dispose = () => void

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
  endpoint: EndpointView
  dataDir: string
  /** The knowledge base drafts are grounded in: its folder (null: none), and how much of it a draft gets. */
  knowledgeBase: KnowledgeBaseSettingsView
}

export interface KnowledgeBaseSettingsView {
  dir: string | null
  /** SUPPORT_CONSOLE_KB_DIR sets the folder, so Settings cannot change it. */
  setByEnvironment: boolean
  /** At most this many passages per draft... */
  passages: number
  /** ...within this many tokens. */
  tokenBudget: number
}

/** 'unavailable': the desktop app runs without its endpoint (its port could not be used); web mode never does. */
export type EndpointStatus = 'listening' | 'unavailable'

export interface EndpointView {
  /** Where it listens; null while it is unavailable. */
  url: string | null
  token: string
  status: EndpointStatus
  /** Why it is unavailable, as a sentence naming the port; null while it listens. */
  problem: string | null
  /** The port asked for (0: any free one); the one in use is in `url`. */
  port: number
  /**
   * Why Settings cannot change the port: SUPPORT_CONSOLE_PORT sets it ('environment', a retry on the same
   * port still works), or the console itself is served from it ('web-console'); null when it can.
   */
  portFixedBy: 'environment' | 'web-console' | null
}

/**
 * What Settings may change; `apiKey` is a new key, or null to remove the saved one (write-only: never read back).
 * `port` moves the local endpoint at once (the same port again retries one that was unavailable).
 */
export type SettingsUpdate = z.output<typeof settingsUpdate>

export type ExportFormat = z.output<typeof exportFormat>

export interface ExportedTranscript {
  filename: string
  mimeType: string
  content: string
}

/** 'storage': the data folder could not be written (a full disk, a read-only folder); nothing of the request was saved. */
export const API_ERROR_CODES = ['invalid-input', 'not-found', 'conflict', 'unavailable', 'storage', 'internal'] as const
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
