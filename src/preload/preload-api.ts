// The renderer-facing API (src/shared/api.ts) over IPC: each method invokes its own channel from
// src/shared/ipc.ts, and main's IpcResult is unwrapped into a value or an ApiError. There is no generic
// invoke: the renderer can reach exactly these methods and nothing else.
// Takes an ipcRenderer-like object so the contract test can wire it to main's handlers without Electron.
import { API_ERROR_CODES, ApiError, type ApiErrorCode, type ConversationEvent, type SupportConsoleApi, type Unsubscribe } from '../shared/api'
import {
  EVENT_CHANNEL,
  INVOKE_CHANNELS,
  SUBSCRIBE_ARGS,
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_CHANNEL,
  type EventBatch,
  type InvokeMethod,
} from '../shared/ipc'
import { describeIssue } from '../shared/schemas'

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

const isApiErrorCode = (value: unknown): value is ApiErrorCode => (API_ERROR_CODES as readonly unknown[]).includes(value)

/** Main's answer as a value, or the ApiError it carries. Main is trusted, but a malformed reply is still reported clearly. */
function unwrap(reply: unknown): unknown {
  if (isRecord(reply) && reply.ok === true && 'value' in reply) return reply.value
  if (isRecord(reply) && reply.ok === false && isRecord(reply.error)) {
    const { code, message } = reply.error
    if (isApiErrorCode(code) && typeof message === 'string') throw new ApiError(code, message)
  }
  throw new ApiError('internal', 'The app answered in an unexpected way. Restart it; if this keeps happening, report it.')
}

function isEventBatch(value: unknown): value is EventBatch {
  return isRecord(value) && typeof value.subscriptionId === 'number' && Array.isArray(value.events)
}

type Result<M extends InvokeMethod> = Awaited<ReturnType<SupportConsoleApi[M]>>

export function createPreloadApi(ipc: IpcRendererLike): SupportConsoleApi {
  const call = async <M extends InvokeMethod>(method: M, ...args: Parameters<SupportConsoleApi[M]>): Promise<Result<M>> =>
    // The value's type is the method's, by the contract both sides are built from (checked by test/ipc-contract.test.ts).
    unwrap(await ipc.invoke(INVOKE_CHANNELS[method], ...args)) as Result<M>

  // Live events: one IPC listener for the whole page, routed by subscription id.
  const listeners = new Map<number, (event: ConversationEvent) => void>()
  // Main may send a subscription's first batch before the reply carrying its id arrives; those batches
  // wait here, but only while a subscribe is in flight (no id can be claimed otherwise).
  const early = new Map<number, ConversationEvent[]>()
  let subscribesInFlight = 0

  const deliver = (listener: (event: ConversationEvent) => void, events: ConversationEvent[]): void => {
    for (const event of events) {
      try {
        listener(event)
      } catch (error) {
        // One failing listener must not cost the others their events.
        console.error('Support Console: a draft event listener failed', error)
      }
    }
  }

  ipc.on(EVENT_CHANNEL, (_event, batch) => {
    if (!isEventBatch(batch)) return
    const listener = listeners.get(batch.subscriptionId)
    if (listener) deliver(listener, batch.events)
    else if (subscribesInFlight > 0) early.set(batch.subscriptionId, [...(early.get(batch.subscriptionId) ?? []), ...batch.events])
  })

  const unsubscribeQuietly = (subscriptionId: number): void => {
    ipc.invoke(UNSUBSCRIBE_CHANNEL, subscriptionId).catch(() => {
      // The window is closing or main is gone: the subscription ends with it.
    })
  }

  const onConversationEvents = (conversationId: number, listener: (event: ConversationEvent) => void): Unsubscribe => {
    const parsed = SUBSCRIBE_ARGS.safeParse([conversationId])
    if (!parsed.success) throw new ApiError('invalid-input', describeIssue(parsed.error))
    if (typeof listener !== 'function') throw new ApiError('invalid-input', 'listener must be a function')
    let subscriptionId: number | undefined
    let cancelled = false
    subscribesInFlight++
    ipc
      .invoke(SUBSCRIBE_CHANNEL, conversationId)
      .then((reply) => {
        const id = unwrap(reply)
        if (typeof id !== 'number') throw new ApiError('internal', 'The app answered a subscription without an id.')
        subscriptionId = id
        const missed = early.get(id) ?? []
        early.delete(id)
        if (cancelled) {
          unsubscribeQuietly(id)
          return
        }
        listeners.set(id, listener)
        deliver(listener, missed)
      })
      .catch((error: unknown) => {
        // The interface has no error path for a subscription; the console still sees the outcome of the
        // draft itself through getConversation.
        console.error(`Support Console: could not follow conversation ${conversationId}`, error)
      })
      .finally(() => {
        subscribesInFlight--
        if (subscribesInFlight === 0) early.clear()
      })

    return () => {
      if (cancelled) return
      cancelled = true
      if (subscriptionId === undefined) return
      listeners.delete(subscriptionId)
      unsubscribeQuietly(subscriptionId)
    }
  }

  return {
    listConversations: (query) => call('listConversations', query),
    getConversation: (id) => call('getConversation', id),
    createConversation: (input) => call('createConversation', input),
    renameConversation: (id, title) => call('renameConversation', id, title),
    deleteConversation: (id) => call('deleteConversation', id),
    addCustomerMessage: (conversationId, text) => call('addCustomerMessage', conversationId, text),
    useReply: (conversationId, text) => call('useReply', conversationId, text),
    startDraft: (conversationId) => call('startDraft', conversationId),
    stopDraft: (conversationId) => call('stopDraft', conversationId),
    onConversationEvents,
    exportConversation: (id, format) => call('exportConversation', id, format),
    getSettings: () => call('getSettings'),
    updateSettings: (update) => call('updateSettings', update),
  }
}

/**
 * What a rejection looks like once it has crossed contextBridge. The bridge copies an Error's message but
 * drops its other properties (the code), so the exposed API rejects with this plain object instead,
 * which the bridge copies whole. The renderer turns it back into an ApiError.
 */
export interface BridgedApiError {
  name: 'ApiError'
  code: ApiErrorCode
  message: string
}

export function toBridgedError(error: unknown): BridgedApiError {
  if (error instanceof ApiError) return { name: 'ApiError', code: error.code, message: error.message }
  return { name: 'ApiError', code: 'internal', message: error instanceof Error ? error.message : String(error) }
}

/** The API as exposed through contextBridge: the same methods, rejecting with BridgedApiError. */
export function bridgeSafe(api: SupportConsoleApi): SupportConsoleApi {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      fn(...args).catch((error: unknown) => Promise.reject(toBridgedError(error)))
  return {
    listConversations: guard(api.listConversations),
    getConversation: guard(api.getConversation),
    createConversation: guard(api.createConversation),
    renameConversation: guard(api.renameConversation),
    deleteConversation: guard(api.deleteConversation),
    addCustomerMessage: guard(api.addCustomerMessage),
    useReply: guard(api.useReply),
    startDraft: guard(api.startDraft),
    stopDraft: guard(api.stopDraft),
    onConversationEvents: (conversationId, listener) => {
      try {
        return api.onConversationEvents(conversationId, listener)
      } catch (error) {
        // A thrown non-Error crosses the bridge as a copy, like a rejection.
        throw toBridgedError(error)
      }
    },
    exportConversation: guard(api.exportConversation),
    getSettings: guard(api.getSettings),
    updateSettings: guard(api.updateSettings),
  }
}
