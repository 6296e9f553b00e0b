// One open text/event-stream response: headers, heartbeats, and a bound on what a slow client may let
// pile up, so a stuck reader costs memory only up to that bound and never holds up other listeners.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Dispose } from '../../../shared/api'
import { encodeComment, encodeRetry } from './sse-encoding'

export interface SseOptions {
  heartbeatMs: number
  /** What EventSource should wait before reconnecting. */
  retryMs: number
  /** Bytes queued for a client that does not read, beyond which it is disconnected. */
  maxBufferedBytes: number
}

export class SseConnection {
  private heartbeat: NodeJS.Timeout
  private closedValue = false
  private readonly closeCallbacks = new Set<() => void>()

  constructor(
    request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly options: SseOptions,
    extraHeaders: Record<string, string>,
    /**
     * Opens with a `retry:` field for EventSource; false for clients that read every field as an event (OpenAI's
     * Python client would take it for one with empty, unparsable data).
     */
    announceRetry = true,
  ) {
    response.writeHead(200, {
      ...extraHeaders,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    // Small frames must leave at once, not wait for Nagle.
    request.socket.setNoDelay(true)
    // A stream may be quiet between heartbeats for as long as it likes once its request is in (the server's
    // body-idle limit is for a body still arriving).
    if (request.complete) request.socket.setTimeout(0)
    // The headers leave now, with the retry frame when there is one: one write per new stream, not two (at 300
    // streams opening together, each write is a system call on the thread that serves them all).
    if (announceRetry) response.write(encodeRetry(options.retryMs))
    else response.flushHeaders()
    this.heartbeat = setInterval(() => this.write(encodeComment('heartbeat')), options.heartbeatMs)
    this.heartbeat.unref()
    response.on('close', () => this.closed())
  }

  get isClosed(): boolean {
    return this.closedValue
  }

  write(frame: string): void {
    if (this.closedValue) return
    this.response.write(frame)
    if (this.response.writableLength > this.options.maxBufferedBytes) {
      console.warn(`SSE client too slow (${this.response.writableLength} bytes queued); disconnecting it`)
      this.response.destroy()
    }
  }

  end(): void {
    if (this.closedValue) return
    this.response.end()
  }

  /** Runs once the connection has closed (at once if it has); the Dispose takes the callback back. */
  onClose(callback: () => void): Dispose {
    if (this.closedValue) {
      callback()
      return () => {}
    }
    // Wrapped so the same function registered twice is two registrations, each with its own Dispose.
    const once = (): void => callback()
    this.closeCallbacks.add(once)
    return () => {
      this.closeCallbacks.delete(once)
    }
  }

  private closed(): void {
    if (this.closedValue) return
    this.closedValue = true
    clearInterval(this.heartbeat)
    const callbacks = [...this.closeCallbacks]
    this.closeCallbacks.clear()
    for (const callback of callbacks) callback()
  }
}
