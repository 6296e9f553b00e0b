// The response of a streamed Chat Completion: `data: <JSON>` events, then `data: [DONE]`. Not SseConnection: that
// one opens with a `retry:` field for EventSource, which OpenAI's Python client would read as an event with empty,
// unparsable data. The same rules otherwise: heartbeat comments, and a client that stops reading is let go.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SseOptions } from '../sse-connection'

export class OpenAiEventStream {
  private readonly heartbeat: NodeJS.Timeout
  private closed = false
  private readonly closeCallbacks: Array<() => void> = []

  constructor(
    request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly options: SseOptions,
    headers: Record<string, string>,
  ) {
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    response.flushHeaders()
    request.socket.setNoDelay(true)
    if (request.complete) request.socket.setTimeout(0)
    // Comments, which every SSE parser skips (OpenAI's clients included).
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), options.heartbeatMs)
    this.heartbeat.unref()
    response.on('close', () => {
      if (this.closed) return
      this.closed = true
      clearInterval(this.heartbeat)
      for (const callback of this.closeCallbacks.splice(0)) callback()
    })
  }

  /** One event: the object as JSON on one `data:` line (JSON escapes every line break). */
  send(data: object): void {
    this.write(`data: ${JSON.stringify(data)}\n\n`)
  }

  /** The terminator OpenAI's clients wait for, and the end of the response. */
  done(): void {
    this.write('data: [DONE]\n\n')
    this.end()
  }

  end(): void {
    if (!this.closed) this.response.end()
  }

  onClose(callback: () => void): void {
    if (this.closed) callback()
    else this.closeCallbacks.push(callback)
  }

  private write(frame: string): void {
    if (this.closed) return
    this.response.write(frame)
    if (this.response.writableLength > this.options.maxBufferedBytes) this.response.destroy()
  }
}
