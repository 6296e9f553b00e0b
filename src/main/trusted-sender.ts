// Who may call the IPC handlers: the main frame of one of our own windows, showing our own page
// (Electron security checklist item 17). A frame that navigated elsewhere, an iframe, or any other
// webContents is refused before its payload is even looked at.
// The shapes below are the parts of Electron's IpcMainInvokeEvent the shell uses, so the handlers run
// under plain Node in the tests; Electron's own event objects satisfy them structurally.

export interface IpcFrameLike {
  readonly url: string
  /** null for a main frame. */
  readonly parent: unknown
}

export interface IpcSenderLike {
  readonly id: number
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
}

export interface IpcEventLike {
  readonly sender: IpcSenderLike
  readonly senderFrame: IpcFrameLike | null
}

/** `scheme://host[:port]` of a URL, or undefined. (URL.origin is "null" for custom schemes under Node.) */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : undefined
  } catch {
    return undefined
  }
}

export interface SenderCheckOptions {
  /** Origins our pages are served from: app://console, and the Vite dev server in development. */
  origins: readonly string[]
  /** True for the webContents of a window this app opened. */
  isAppContents(webContentsId: number): boolean
}

export function createSenderCheck({ origins, isAppContents }: SenderCheckOptions): (event: IpcEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null) return false
    if (event.sender.isDestroyed() || !isAppContents(event.sender.id)) return false
    const origin = originOf(frame.url)
    return origin !== undefined && origins.includes(origin)
  }
}
