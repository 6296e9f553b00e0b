// Main's side of the IPC contract (src/shared/ipc.ts): one handler per channel, each of which checks the
// sender, validates the payload against the channel's schema, calls the core's API and answers with an
// IpcResult. A payload that fails validation never reaches the core. Live draft events go to the window
// that subscribed, batched per frame (event-outbox.ts), and stop when it unsubscribes, reloads or closes.
// createIpcHandlers is plain functions, so the contract test drives them without Electron;
// registerIpcHandlers is the thin part that hands them to ipcMain.
import type { z } from 'zod'
import { ApiError, type ConversationEvent, type SupportConsoleApi, type Unsubscribe } from '../shared/api'
import {
  EVENT_CHANNEL,
  INVOKE_ARGS,
  INVOKE_CHANNELS,
  SUBSCRIBE_ARGS,
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_ARGS,
  UNSUBSCRIBE_CHANNEL,
  type EventBatch,
  type InvokeMethod,
  type IpcResult,
} from '../shared/ipc'
import { describeIssue } from '../shared/schemas'
import { createEventOutbox, type EventOutbox } from './event-outbox'
import type { IpcEventLike } from './trusted-sender'

export type IpcHandler = (event: IpcEventLike, ...args: unknown[]) => Promise<IpcResult<unknown>>

type ApiArgs = { [M in InvokeMethod]: Parameters<SupportConsoleApi[M]> }
type SchemaArgs = { [M in InvokeMethod]: z.output<(typeof INVOKE_ARGS)[M]> }
// Compile-time proof that each channel's schema produces exactly the arguments its API method takes.
type _SchemasMatchApi = { [M in InvokeMethod]: SchemaArgs[M] extends ApiArgs[M] ? (ApiArgs[M] extends SchemaArgs[M] ? true : M) : M }[InvokeMethod]
const _schemasMatchApi: _SchemasMatchApi = true

export interface IpcHandlerOptions {
  isTrustedSender(event: IpcEventLike): boolean
  /** How often a subscription's events are sent at most; default one frame. */
  batchIntervalMs?: number
  /** Live subscriptions one window may hold; a leak in the renderer hits this instead of the core. */
  maxSubscriptionsPerSender?: number
  /** Where unexpected errors are reported (never to the renderer). */
  logError?(message: string, error: unknown): void
}

export interface IpcHandlers {
  /** Every INVOKE_CHANNELS channel, SUBSCRIBE_CHANNEL and UNSUBSCRIBE_CHANNEL, with its handler. */
  readonly handlers: ReadonlyMap<string, IpcHandler>
  /** Ends a window's subscriptions (it reloaded: its new page knows none of them). */
  releaseSender(webContentsId: number): void
  readonly subscriptionCount: number
  /** Ends every subscription. */
  dispose(): void
}

const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value })
const fail = (code: ApiError['code'], message: string): IpcResult<never> => ({ ok: false, error: { code, message } })

export const UNTRUSTED_SENDER_MESSAGE = 'Refused: the request did not come from a Support Console window.'
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong inside the app. The details are in its log.'

function callApi<M extends InvokeMethod>(api: SupportConsoleApi, method: M, args: ApiArgs[M]): Promise<unknown> {
  // The mapped types above tie each method to its own argument tuple; TypeScript cannot follow that
  // correlation through an indexed access, hence the one cast.
  const fn = api[method] as unknown as (...a: ApiArgs[M]) => Promise<unknown>
  return fn.apply(api, args)
}

interface Subscription {
  outbox: EventOutbox
  unsubscribe: Unsubscribe
}

export function createIpcHandlers(api: SupportConsoleApi, options: IpcHandlerOptions): IpcHandlers {
  const { isTrustedSender, batchIntervalMs = 16, maxSubscriptionsPerSender = 256 } = options
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error))
  const bySender = new Map<number, Map<number, Subscription>>()
  let nextSubscriptionId = 1

  const toFailure = (error: unknown, channel: string): IpcResult<never> => {
    if (error instanceof ApiError) return fail(error.code, error.message)
    // Anything else is a bug or an environment problem: its message and stack stay in main's log.
    logError(`IPC ${channel} failed:`, error)
    return fail('internal', INTERNAL_ERROR_MESSAGE)
  }

  const end = (subscription: Subscription): void => {
    subscription.outbox.close()
    subscription.unsubscribe()
  }

  const releaseSender = (webContentsId: number): void => {
    const subscriptions = bySender.get(webContentsId)
    if (!subscriptions) return
    bySender.delete(webContentsId)
    for (const subscription of subscriptions.values()) end(subscription)
  }

  const handlers = new Map<string, IpcHandler>()

  for (const method of Object.keys(INVOKE_CHANNELS) as InvokeMethod[]) {
    const channel = INVOKE_CHANNELS[method]
    handlers.set(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) return fail('invalid-input', UNTRUSTED_SENDER_MESSAGE)
      const parsed = INVOKE_ARGS[method].safeParse(args)
      if (!parsed.success) return fail('invalid-input', describeIssue(parsed.error))
      try {
        return ok(await callApi(api, method, parsed.data as unknown as ApiArgs[typeof method]))
      } catch (error) {
        return toFailure(error, channel)
      }
    })
  }

  handlers.set(SUBSCRIBE_CHANNEL, async (event, ...args) => {
    if (!isTrustedSender(event)) return fail('invalid-input', UNTRUSTED_SENDER_MESSAGE)
    const parsed = SUBSCRIBE_ARGS.safeParse(args)
    if (!parsed.success) return fail('invalid-input', describeIssue(parsed.error))
    const [conversationId] = parsed.data
    const sender = event.sender
    let subscriptions = bySender.get(sender.id)
    if (!subscriptions) {
      subscriptions = new Map()
      bySender.set(sender.id, subscriptions)
      sender.once('destroyed', () => releaseSender(sender.id))
    }
    if (subscriptions.size >= maxSubscriptionsPerSender) {
      return fail('conflict', `This window already follows ${maxSubscriptionsPerSender} conversations; close some first.`)
    }
    const subscriptionId = nextSubscriptionId++
    const outbox = createEventOutbox((events: ConversationEvent[]) => {
      if (sender.isDestroyed()) return
      const batch: EventBatch = { subscriptionId, events }
      sender.send(EVENT_CHANNEL, batch)
    }, batchIntervalMs)
    try {
      // Events replayed synchronously here wait in the outbox, so they are sent after this reply.
      const unsubscribe = api.onConversationEvents(conversationId, (e) => outbox.push(e))
      subscriptions.set(subscriptionId, { outbox, unsubscribe })
    } catch (error) {
      outbox.close()
      return toFailure(error, SUBSCRIBE_CHANNEL)
    }
    return ok(subscriptionId)
  })

  handlers.set(UNSUBSCRIBE_CHANNEL, async (event, ...args) => {
    if (!isTrustedSender(event)) return fail('invalid-input', UNTRUSTED_SENDER_MESSAGE)
    const parsed = UNSUBSCRIBE_ARGS.safeParse(args)
    if (!parsed.success) return fail('invalid-input', describeIssue(parsed.error))
    const [subscriptionId] = parsed.data
    // Only the window that subscribed can end a subscription; ending one twice is not an error.
    const subscriptions = bySender.get(event.sender.id)
    const subscription = subscriptions?.get(subscriptionId)
    if (subscriptions && subscription) {
      subscriptions.delete(subscriptionId)
      end(subscription)
    }
    return ok(undefined)
  })

  return {
    handlers,
    releaseSender,
    get subscriptionCount() {
      let n = 0
      for (const subscriptions of bySender.values()) n += subscriptions.size
      return n
    },
    dispose() {
      for (const id of [...bySender.keys()]) releaseSender(id)
    },
  }
}

/** The part of Electron's ipcMain the shell uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

/** Registers every handler with ipcMain; returns a function that removes them again. */
export function registerIpcHandlers(ipcMain: IpcMainLike, { handlers }: IpcHandlers): () => void {
  for (const [channel, handler] of handlers) ipcMain.handle(channel, handler)
  return () => {
    for (const channel of handlers.keys()) ipcMain.removeHandler(channel)
  }
}
