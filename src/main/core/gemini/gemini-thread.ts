// The entry of a Gemini thread (started by gemini-threads.ts): runs GeminiClient, and with it the SDK's whole stream
// path (fetch, web streams, JSON parsing, the aggregated response it always builds), for the drafts the main
// thread hands it, and sends back each draft's events. Issue 11 measured that path at about a third of the relay's
// CPU, and its allocations at most of the collector's pauses: here they use another core and another heap, and the
// main thread (which, in the desktop app, carries IPC to the window) only relays text.
import { parentPort } from 'node:worker_threads'
import { GeminiClient } from './client'
import type { FromThread, ToThread } from './thread-protocol'
import type { ReplyEvent } from './types'

const port = parentPort
if (!port) throw new Error('gemini-thread.ts runs as a worker thread (gemini-threads.ts starts it)')

const running = new Map<number, AbortController>()
let outbox: FromThread['events'] = []

function send(id: number, event: ReplyEvent): void {
  // Flushed after this turn's I/O callbacks (setImmediate): everything that arrived together goes in one message.
  if (outbox.length === 0) setImmediate(flush)
  outbox.push([id, event])
}

function flush(): void {
  const message: FromThread = { events: outbox }
  outbox = []
  port?.postMessage(message)
}

port.on('message', (message: ToThread) => {
  if (message.type === 'abort') {
    running.get(message.id)?.abort()
    return
  }
  const { id, apiKey, options } = message
  const controller = new AbortController()
  running.set(id, controller)
  const client = new GeminiClient({ ...options, apiKey: () => apiKey })
  const request = { model: message.model, systemInstruction: message.systemInstruction, turns: message.turns, signal: controller.signal }
  // deliverReply never rejects and always ends with one `end` or `error` event.
  void client.deliverReply(request, (event) => send(id, event)).finally(() => running.delete(id))
})

// Says it is up: a thread that never says so (its module failed to load) has run nothing of the drafts sent to it.
port.postMessage({ events: [] } satisfies FromThread)
