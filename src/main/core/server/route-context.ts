// What a route handler gets: the core's API (its only way in) and the server's own bookkeeping. In a module of
// its own so the routes and the server that calls them do not import each other.
import type { ApiService } from '../api/api-service'
import type { Caller } from './access'
import type { KeyRateLimits } from './rate-limits'
import type { SseOptions } from './sse-connection'

export interface RouteSettings {
  maxConcurrentStreams: number
}

export interface RouteContext {
  /**
   * The same service the desktop app reaches over IPC. The class, not the renderer contract: the streaming
   * routes also use its integration-facing methods (startReply, resumeReply, conversationStream).
   */
  api: ApiService
  /** Read on every request, so changed settings apply at once. */
  settings: () => RouteSettings
  sseOptions: SseOptions
  /** CORS headers for this request's origin (empty when it has none or is the console's own). */
  cors: Record<string, string>
  /** Who sent the request: the console's own session or an integration key; each route authorizes it. */
  caller: Caller
  /** Open SSE streams, counted against maxConcurrentStreams. */
  streams: { open: number }
  /** Each integration key's requests a minute and open streams (rate-limits.ts). */
  rateLimits: KeyRateLimits
}
