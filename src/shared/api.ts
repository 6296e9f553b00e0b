// The renderer-facing API: everything the React console may ask of the rest of the app. The preload
// implements it over IPC in the desktop app; an HTTP/SSE implementation serves it to a browser in web mode.
// Both end in the same core service, so the UI cannot tell them apart. Its methods are declared once, in
// api-contract.ts; the types they exchange and the error they reject with are in api-types.ts.
import type { ApiMethods } from './api-contract'
import type { ConversationEvent, Dispose } from './api-types'

export * from './api-types'

/** The API the console uses: the declared request/response methods, and the live-event subscription. */
export interface SupportConsoleApi extends ApiMethods {
  /**
   * Calls `listener` with every event of the conversation's live draft (replayed from its start if it is
   * already running) and of each draft started later, until disposed.
   */
  onConversationEvents(conversationId: number, listener: (event: ConversationEvent) => void): Dispose
}
