// The IPC contract between preload and main: a channel per API method (named after it, derived from
// api-contract.ts), the subscribe/unsubscribe channels of live draft events and the push channel they arrive on.
// The API's arguments are checked by the core at its entry (checkArguments); IPC's own arguments here.
import { z } from 'zod'
import type { ApiErrorCode, ConversationEvent } from './api'
import { API_METHODS, SUBSCRIPTION, type ApiMethod } from './api-contract'

/** Every API method but the subscription is a request/response over `ipcRenderer.invoke`. */
export type InvokeMethod = ApiMethod

/** The channel of one API method: `sc:` and its name. */
export const channelOf = <M extends ApiMethod>(method: M): `sc:${M}` => `sc:${method}`

export const INVOKE_CHANNELS = Object.fromEntries(API_METHODS.map((method) => [method, channelOf(method)])) as {
  readonly [M in ApiMethod]: `sc:${M}`
}

/** Subscribing returns a subscription id; events for it arrive on EVENT_CHANNEL. */
export const SUBSCRIBE_CHANNEL = 'sc:events:subscribe'
export const SUBSCRIBE_ARGS = SUBSCRIPTION.args
export const UNSUBSCRIBE_CHANNEL = 'sc:events:unsubscribe'
export const UNSUBSCRIBE_ARGS = z.tuple([z.number({ message: 'subscription id must be a number' }).int().positive()])
/** Main → renderer: a batch of events (deltas merged to at most one message per frame), in order. */
export const EVENT_CHANNEL = 'sc:events:push'

export interface EventBatch {
  subscriptionId: number
  events: ConversationEvent[]
}

/** Handlers answer with a result instead of throwing: Electron would otherwise flatten errors into strings. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } }
