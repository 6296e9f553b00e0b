// The IPC contract between preload and main, in one place: a channel per API method, the schema of its
// arguments (main validates every payload against it), and the push channel for live draft events.
import { z } from 'zod'
import type { ApiErrorCode, ConversationEvent, SupportConsoleApi } from './api'
import { createConversationInput, exportFormat, listQuery, messageText, replyText, settingsUpdate, strictId, title } from './schemas'

/** Every API method but the subscription is a request/response over `ipcRenderer.invoke`. */
export type InvokeMethod = Exclude<keyof SupportConsoleApi, 'onConversationEvents'>

export const INVOKE_CHANNELS = {
  listConversations: 'sc:conversations:list',
  getConversation: 'sc:conversations:get',
  createConversation: 'sc:conversations:create',
  renameConversation: 'sc:conversations:rename',
  deleteConversation: 'sc:conversations:delete',
  addCustomerMessage: 'sc:messages:add-customer',
  useReply: 'sc:messages:use-reply',
  startDraft: 'sc:drafts:start',
  stopDraft: 'sc:drafts:stop',
  exportConversation: 'sc:conversations:export',
  getSettings: 'sc:settings:get',
  updateSettings: 'sc:settings:update',
} as const satisfies Record<InvokeMethod, string>

/** Argument tuples, exactly as the API methods take them. */
export const INVOKE_ARGS = {
  listConversations: z.tuple([listQuery]),
  getConversation: z.tuple([strictId]),
  createConversation: z.tuple([createConversationInput]),
  renameConversation: z.tuple([strictId, title]),
  deleteConversation: z.tuple([strictId]),
  addCustomerMessage: z.tuple([strictId, messageText]),
  useReply: z.tuple([strictId, replyText]),
  startDraft: z.tuple([strictId]),
  stopDraft: z.tuple([strictId]),
  exportConversation: z.tuple([strictId, exportFormat]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsUpdate]),
} as const satisfies Record<InvokeMethod, z.ZodTuple>

/** Subscribing returns a subscription id; events for it arrive on EVENT_CHANNEL. */
export const SUBSCRIBE_CHANNEL = 'sc:events:subscribe'
export const SUBSCRIBE_ARGS = z.tuple([strictId])
export const UNSUBSCRIBE_CHANNEL = 'sc:events:unsubscribe'
export const UNSUBSCRIBE_ARGS = z.tuple([z.number().int().positive()])
/** Main → renderer: a batch of events (deltas merged to at most one message per frame), in order. */
export const EVENT_CHANNEL = 'sc:events:push'

export interface EventBatch {
  subscriptionId: number
  events: ConversationEvent[]
}

/** Handlers answer with a result instead of throwing: Electron would otherwise flatten errors into strings. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false, error: { code: ApiErrorCode; message: string } }
