// A test client that reads text/event-stream exactly as the SSE spec tells an EventSource to,
// but also keeps ids, event names and comments so tests can check the wire format.
export interface ReceivedEvent {
  id: string | undefined
  event: string
  data: string
}

export interface SseStream {
  response: Response
  /** Resolves with the next dispatched event, or undefined when the stream ended. */
  next(): Promise<ReceivedEvent | undefined>
  /** Reads until the event matching `until` (included) or the end of the stream. */
  readUntil(until: (e: ReceivedEvent) => boolean): Promise<ReceivedEvent[]>
  comments: string[]
  raw: string
  close(): void
}

export async function openSse(url: string, init: RequestInit = {}): Promise<SseStream> {
  const controller = new AbortController()
  const response = await fetch(url, { ...init, signal: controller.signal })
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  const queue: ReceivedEvent[] = []
  const comments: string[] = []
  let buffer = ''
  let done = !reader
  let data: string[] = []
  let eventName = ''
  let lastId: string | undefined
  const stream: SseStream = { response, next, readUntil, comments, raw: '', close: () => controller.abort() }

  function processLine(line: string): void {
    if (line === '') {
      if (data.length > 0) queue.push({ id: lastId, event: eventName || 'message', data: data.join('\n') })
      data = []
      eventName = ''
      return
    }
    if (line.startsWith(':')) {
      comments.push(line.slice(1).trim())
      return
    }
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'data') data.push(value)
    else if (field === 'event') eventName = value
    else if (field === 'id') lastId = value
  }

  async function next(): Promise<ReceivedEvent | undefined> {
    while (queue.length === 0 && !done && reader) {
      let chunk: Awaited<ReturnType<NonNullable<typeof reader>['read']>>
      try {
        chunk = await reader.read()
      } catch {
        done = true
        break
      }
      if (chunk.done) {
        done = true
        break
      }
      const text = decoder.decode(chunk.value, { stream: true })
      stream.raw += text
      buffer += text
      // A trailing CR may be the first half of a CRLF: keep it until more arrives.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/)
      buffer = lines.pop() ?? ''
      for (const line of lines) processLine(line)
    }
    return queue.shift()
  }

  async function readUntil(until: (e: ReceivedEvent) => boolean): Promise<ReceivedEvent[]> {
    const events: ReceivedEvent[] = []
    for (let e = await next(); e; e = await next()) {
      events.push(e)
      if (until(e)) break
    }
    return events
  }

  return stream
}

/** The reply text a plain `onmessage` client would assemble: unnamed events up to `[DONE]`. */
export const replyText = (events: ReceivedEvent[]): string =>
  events
    .filter((e) => e.event === 'message' && e.data !== '[DONE]')
    .map((e) => e.data)
    .join('')

export const isDone = (e: ReceivedEvent): boolean => e.event === 'message' && e.data === '[DONE]'
