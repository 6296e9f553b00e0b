// Main's side of the IPC contract (src/shared/ipc.ts): one handler per channel, derived from the API's
// declarations (src/shared/api-contract.ts). Each checks the sender, then hands the payload to the core's API,
// whose entry parses every argument with the method's declared schema (checkArguments) before anything else
// runs, and answers with an IpcResult. Live draft events go to the window that subscribed, batched per frame
// (event-outbox.ts), and stop when it unsubscribes, reloads or closes.
// createIpcHandlers is plain functions, so the contract test drives them without Electron;
// registerIpcHandlers is the thin part that hands them to ipcMain.
import { ApiError, type ConversationEvent, type Dispose, type SupportConsoleApi } from '../shared/api'
import { API_METHODS } from '../shared/api-contract'
import {
  EVENT_CHANNEL,
  INVOKE_CHANNELS,
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_ARGS,
  UNSUBSCRIBE_CHANNEL,
  type EventBatch,
  type IpcResult,
} from '../shared/ipc'
import { describeIssue } from '../shared/schemas'
import { createEventOutbox, type EventOutbox } from './event-outbox'
import type { IpcEventLike } from './trusted-sender'

export type IpcHandler = (event: IpcEventLike, ...args: unknown[]) => Promise<IpcResult<unknown>>

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

/**
 * Calls one API method with the payload as the renderer sent it. The payload is unknown here on purpose: the
 * API's entry parses it with the method's declaration (the one check; see checkArguments in api-contract.ts).
 */
function callApi(api: SupportConsoleApi, method: keyof typeof INVOKE_CHANNELS, args: unknown[]): Promise<unknown> {
  const fn = api[method] as (...a: unknown[]) => Promise<unknown>
  return fn.apply(api, args)
}

interface Subscription {
  outbox: EventOutbox
  unsubscribe: Dispose
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

  for (const method of API_METHODS) {
    const channel = INVOKE_CHANNELS[method]
    handlers.set(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) return fail('invalid-input', UNTRUSTED_SENDER_MESSAGE)
      try {
        return ok(await callApi(api, method, args))
      } catch (error) {
        return toFailure(error, channel)
      }
    })
  }

  handlers.set(SUBSCRIBE_CHANNEL, async (event, ...args) => {
    if (!isTrustedSender(event)) return fail('invalid-input', UNTRUSTED_SENDER_MESSAGE)
    // [conversationId] as sent: the API's entry checks it (and that the conversation exists).
    if (args.length !== 1) return fail('invalid-input', 'Follow one conversation: send its id.')
    const sender = event.sender
    if ((bySender.get(sender.id)?.size ?? 0) >= maxSubscriptionsPerSender) {
      return fail('conflict', `This window already follows ${maxSubscriptionsPerSender} conversations; close some first.`)
    }
    const subscriptionId = nextSubscriptionId++
    const outbox = createEventOutbox((events: ConversationEvent[]) => {
      if (sender.isDestroyed()) return
      const batch: EventBatch = { subscriptionId, events }
      sender.send(EVENT_CHANNEL, batch)
    }, batchIntervalMs)
    let unsubscribe: Dispose
    try {
      // Events replayed synchronously here wait in the outbox, so they are sent after this reply.
      unsubscribe = (api.onConversationEvents as (id: unknown, listener: (e: ConversationEvent) => void) => Dispose).call(api, args[0], (e) =>
        outbox.push(e),
      )
    } catch (error) {
      outbox.close()
      return toFailure(error, SUBSCRIBE_CHANNEL)
    }
    let subscriptions = bySender.get(sender.id)
    if (!subscriptions) {
      subscriptions = new Map()
      bySender.set(sender.id, subscriptions)
      sender.once('destroyed', () => releaseSender(sender.id))
    }
    subscriptions.set(subscriptionId, { outbox, unsubscribe })
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
