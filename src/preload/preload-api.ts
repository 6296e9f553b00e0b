// The renderer-facing API (src/shared/api.ts) over IPC: one method per declared API method
// (src/shared/api-contract.ts), each invoking its own channel (src/shared/ipc.ts); main's IpcResult is unwrapped
// into a value or an ApiError. There is no generic invoke: the page reaches exactly these named methods.
// Takes an ipcRenderer-like object so the contract test can wire it to main's handlers without Electron.
import { API_ERROR_CODES, ApiError, type ApiErrorCode, type ConversationEvent, type Dispose, type SupportConsoleApi } from '../shared/api'
import { API_METHODS, type ApiArgs, type ApiMethod, type ApiMethods, type ApiResult } from '../shared/api-contract'
import { EVENT_CHANNEL, INVOKE_CHANNELS, SUBSCRIBE_ARGS, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL, type EventBatch } from '../shared/ipc'

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

/** One object with a property per declared method, each made by `make`: the shape every transport builds. */
export function methodTable<T>(make: (method: ApiMethod) => T): Record<ApiMethod, T> {
  return Object.fromEntries(API_METHODS.map((method) => [method, make(method)])) as Record<ApiMethod, T>
}

export function createPreloadApi(ipc: IpcRendererLike): SupportConsoleApi {
  const call = async <M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> =>
    // The value's type is the method's, by the contract both sides are built from (checked by test/api-contract.test.ts).
    unwrap(await ipc.invoke(INVOKE_CHANNELS[method], ...args)) as ApiResult<M>
  // Built from the declarations; each entry is a function of its own, so contextBridge exposes named methods only.
  const methods = methodTable(
    (method) =>
      (...args: ApiArgs<typeof method>) =>
        call(method, args),
  ) as unknown as ApiMethods

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

  const onConversationEvents = (conversationId: number, listener: (event: ConversationEvent) => void): Dispose => {
    const parsed = SUBSCRIBE_ARGS.safeParse([conversationId])
    if (!parsed.success) throw new ApiError('invalid-input', parsed.error.issues[0]?.message ?? 'conversation id is not valid')
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

  return { ...methods, onConversationEvents }
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
  const methods = methodTable((method) =>
    guard((...args: unknown[]) => (api[method] as (...a: unknown[]) => Promise<unknown>)(...args)),
  ) as unknown as ApiMethods
  return {
    ...methods,
    onConversationEvents: (conversationId, listener) => {
      try {
        return api.onConversationEvents(conversationId, listener)
      } catch (error) {
        // A thrown non-Error crosses the bridge as a copy, like a rejection.
        throw toBridgedError(error)
      }
    },
  }
}
