// A stand-in for Electron's IPC transport, which cannot run here (no Electron binary): an ipcMain that
// handlers register with, and windows whose ipcRenderer talks to it. It behaves as Electron's does where
// the contract depends on it: every payload is structured-cloned in both directions (a function or class
// instance does not survive), replies and pushed events arrive asynchronously and in order, invoking a
// channel with no handler rejects, and a destroyed window emits 'destroyed' and receives nothing more.
// Everything on either side of it is the real code: main's handlers, the preload's API, the core.
import { EventEmitter } from 'node:events'
import type { IpcRendererLike } from '../../src/preload/preload-api'
import type { IpcMainLike } from '../../src/main/ipc-handlers'
import type { IpcEventLike, IpcFrameLike, IpcSenderLike } from '../../src/main/trusted-sender'

type Handler = (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export interface FakeWindowOptions {
  /** The page the sending frame shows. */
  url: string
  /** False: the sender is an iframe inside the page. */
  mainFrame?: boolean
}

export class FakeWindow {
  readonly renderer: IpcRendererLike
  readonly contents: IpcSenderLike
  /** Every message main pushed to this window, by channel, in order. */
  readonly received: { channel: string; payload: unknown }[] = []
  private readonly events = new EventEmitter()
  private readonly rendererListeners = new EventEmitter()
  private destroyed = false
  private readonly frame: IpcFrameLike

  constructor(
    private readonly ipc: FakeIpc,
    readonly id: number,
    options: FakeWindowOptions,
  ) {
    this.frame = { url: options.url, parent: options.mainFrame === false ? { url: options.url } : null }
    const contents: IpcSenderLike = {
      id,
      send: (channel, ...args) => {
        if (this.destroyed) throw new Error('Object has been destroyed')
        const payload = structuredClone(args)
        void nextTask().then(() => {
          if (this.destroyed) return
          this.received.push({ channel, payload: payload[0] })
          this.rendererListeners.emit(channel, {}, ...payload)
        })
      },
      isDestroyed: () => this.destroyed,
      once: (event, listener) => {
        this.events.once(event, listener)
        return contents
      },
    }
    this.contents = contents
    this.renderer = {
      invoke: (channel, ...args) => this.ipc.dispatch(this, channel, args),
      on: (channel, listener) => this.rendererListeners.on(channel, listener),
    }
  }

  get senderFrame(): IpcFrameLike | null {
    return this.destroyed ? null : this.frame
  }

  /** Closes the window: Electron emits 'destroyed' on its webContents. */
  destroy(): void {
    this.destroyed = true
    this.events.emit('destroyed')
  }
}

export class FakeIpc {
  private readonly handlers = new Map<string, Handler>()
  private nextWindowId = 1
  /** Every channel invoked, in order (to check each API method uses its own). */
  readonly invoked: string[] = []

  readonly ipcMain: IpcMainLike = {
    handle: (channel, handler) => {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
      this.handlers.set(channel, handler)
    },
    removeHandler: (channel) => {
      this.handlers.delete(channel)
    },
  }

  get channels(): string[] {
    return [...this.handlers.keys()]
  }

  openWindow(options: FakeWindowOptions): FakeWindow {
    return new FakeWindow(this, this.nextWindowId++, options)
  }

  async dispatch(window: FakeWindow, channel: string, args: unknown[]): Promise<unknown> {
    this.invoked.push(channel)
    // Electron serializes the arguments before they leave the renderer: a function argument throws there.
    const sent = structuredClone(args)
    await nextTask()
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`)
    const event: IpcEventLike = { sender: window.contents, senderFrame: window.senderFrame }
    const reply = structuredClone(await handler(event, ...sent))
    await nextTask()
    return reply
  }
}
