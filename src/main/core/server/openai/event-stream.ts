// The response of a streamed Chat Completion: `data: <JSON>` events, then `data: [DONE]`. An SseConnection (its
// headers, heartbeat comments, which every SSE parser skips, and its bound on a client that stops reading) opened
// without the `retry:` field EventSource wants, which OpenAI's Python client would read as an unparsable event.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Dispose } from '../../../../shared/api'
import { SseConnection, type SseOptions } from '../sse-connection'
import { DONE } from '../sse-encoding'

export class OpenAiEventStream {
  private readonly connection: SseConnection

  constructor(request: IncomingMessage, response: ServerResponse, options: SseOptions, headers: Record<string, string>) {
    this.connection = new SseConnection(request, response, options, headers, false)
  }

  /** One event: the object as JSON on one `data:` line (JSON escapes every line break). */
  send(data: object): void {
    this.connection.write(`data: ${JSON.stringify(data)}\n\n`)
  }

  /** The terminator OpenAI's clients wait for, and the end of the response. */
  done(): void {
    this.connection.write(`data: ${DONE}\n\n`)
    this.connection.end()
  }

  end(): void {
    this.connection.end()
  }

  onClose(callback: () => void): Dispose {
    return this.connection.onClose(callback)
  }
}
