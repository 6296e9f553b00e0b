// A raw HTTP/1.1 client over node:net for fuzzing: it sends exactly the bytes it is given (malformed framing,
// invalid UTF-8, lying Content-Length, trickled pieces) and parses whatever comes back, response by response,
// without any of the repairs a real client (fetch, node:http) would make on either side.
import { connect, type Socket } from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
  /** The response ended by the server closing the connection before its declared length arrived. */
  truncated: boolean
}

export interface RawExchange {
  /** Final (non-1xx) responses, in order. */
  responses: RawResponse[]
  /** Interim 1xx status codes seen (100 Continue). */
  interim: number[]
  /** The server closed the connection (rather than the client cutting it). */
  closedByServer: boolean
  /** No complete answer and no close within the deadline: a hang. */
  timedOut: boolean
  /** The client cut an event stream (`cutStreamAfterMs`). */
  cut: boolean
  /** The client half-closed its side (`halfClose`): the server may take that for a client that went away. */
  halfClosed: boolean
  /** Bytes the parser could not make sense of (a server sending garbage). */
  unparsed: Buffer
  /** A socket error (ECONNRESET after the server destroyed the connection, ...). */
  error?: string
}

export interface SendOptions {
  port: number
  host?: string
  /** Pieces to write; each after `trickleMs` (default 0: all at once). */
  pieces: Buffer[]
  trickleMs?: number
  /** Half-close the socket after the last piece, so a server waiting for more body sees the end. */
  halfClose?: boolean
  /** The request was HEAD: its first response has no body whatever its headers say. */
  head?: boolean
  /** For an SSE response: cut after this long (a follow stream never ends on its own); undefined waits for the end. */
  cutStreamAfterMs?: number
  /**
   * How long a keep-alive connection may stay quiet after a complete answer before the exchange counts as over:
   * enough for the answer to pipelined leftover bytes, which comes at once. 0 for a request that can have only one.
   */
  settleMs?: number
  /** Overall deadline after the last byte is written. */
  timeoutMs: number
}

/** Sends the pieces and collects what the server answers until it closes, the stream is cut, or the deadline. */
export function sendRaw(options: SendOptions): Promise<RawExchange> {
  const { port, host = '127.0.0.1', pieces, trickleMs = 0, halfClose = false, timeoutMs } = options
  return new Promise((resolve) => {
    const socket: Socket = connect({ port, host, allowHalfOpen: true })
    const chunks: Buffer[] = []
    let finished = false
    let closedByServer = false
    let error: string | undefined
    let timer: NodeJS.Timeout | undefined
    let cutTimer: NodeJS.Timeout | undefined
    let settle: NodeJS.Timeout | undefined

    let cut = false
    let halfClosed = false
    const finish = (timedOut: boolean): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      clearTimeout(cutTimer)
      clearTimeout(settle)
      socket.destroy()
      const parsed = parseResponses(Buffer.concat(chunks), options.head === true, closedByServer)
      resolve({ responses: parsed.responses, interim: parsed.interim, unparsed: parsed.unparsed, closedByServer, timedOut, cut, halfClosed, error })
    }

    // A keep-alive connection stays open after its answer: once every response parsed is complete, wait
    // `settleMs` for more, then stop. (Half-closing instead would make Node abort the request in flight.)
    const check = (): void => {
      const parsed = parseResponses(Buffer.concat(chunks), options.head === true, false)
      const last = parsed.responses.at(-1)
      if (!last) return
      const isStream = /text\/event-stream/i.test(last.headers['content-type'] ?? '')
      if (isStream && !parsed.complete && options.cutStreamAfterMs !== undefined && cutTimer === undefined) {
        cutTimer = setTimeout(() => {
          cut = true
          finish(false)
        }, options.cutStreamAfterMs)
      }
      clearTimeout(settle)
      if (parsed.complete) settle = setTimeout(() => finish(false), options.settleMs ?? 30)
    }

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      check()
    })
    socket.on('end', () => {
      closedByServer = true
      finish(false)
    })
    socket.on('close', () => {
      closedByServer = closedByServer || !finished
      finish(false)
    })
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message
    })
    socket.once('connect', () => {
      void (async () => {
        for (const [index, piece] of pieces.entries()) {
          if (finished || socket.destroyed) return
          if (index > 0 && trickleMs > 0) await new Promise((r) => setTimeout(r, trickleMs))
          if (finished || socket.destroyed || !socket.writable) return
          socket.write(piece)
        }
        if (halfClose && socket.writable) {
          halfClosed = true
          socket.end()
        }
        timer = setTimeout(() => finish(true), timeoutMs)
      })()
    })
  })
}

interface Parsed {
  responses: RawResponse[]
  interim: number[]
  unparsed: Buffer
  /** Every response seen is complete (with its whole body). */
  complete: boolean
}

const HEADER_END = Buffer.from('\r\n\r\n')

/** Parses a byte stream of HTTP/1.1 responses. `closed`: the stream is over, so a body read to EOF is whole. */
export function parseResponses(data: Buffer, head: boolean, closed: boolean): Parsed {
  const responses: RawResponse[] = []
  const interim: number[] = []
  let offset = 0
  let complete = true
  while (offset < data.length) {
    const end = data.indexOf(HEADER_END, offset)
    if (end < 0) {
      complete = false
      break
    }
    const [statusLine = '', ...lines] = data.subarray(offset, end).toString('latin1').split('\r\n')
    const match = statusLine.match(/^HTTP\/1\.[01] (\d{3})(?: .*)?$/)
    if (!match) return { responses, interim, unparsed: data.subarray(offset), complete: false }
    const status = Number(match[1])
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(':')
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    let cursor = end + HEADER_END.length
    if (status >= 100 && status < 200) {
      interim.push(status)
      offset = cursor
      continue
    }
    const noBody = (head && responses.length === 0) || status === 204 || status === 304
    if (noBody) {
      responses.push({ status, headers, body: Buffer.alloc(0), truncated: false })
      offset = cursor
      continue
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const body: Buffer[] = []
      let done = false
      while (cursor < data.length) {
        const lineEnd = data.indexOf('\r\n', cursor)
        if (lineEnd < 0) break
        const size = parseInt(data.subarray(cursor, lineEnd).toString('latin1'), 16)
        if (!Number.isFinite(size)) return { responses, interim, unparsed: data.subarray(offset), complete: false }
        if (size === 0) {
          // The last chunk, then an empty trailer line.
          if (data.length < lineEnd + 4) break
          cursor = lineEnd + 4
          done = true
          break
        }
        if (data.length < lineEnd + 2 + size + 2) break
        body.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
        cursor = lineEnd + 2 + size + 2
      }
      responses.push({ status, headers, body: Buffer.concat(body), truncated: !done && closed })
      if (!done) {
        complete = false
        break
      }
      offset = cursor
      continue
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length'])
      const available = Math.min(length, data.length - cursor)
      responses.push({ status, headers, body: data.subarray(cursor, cursor + available), truncated: available < length && closed })
      if (available < length) {
        complete = false
        break
      }
      offset = cursor + length
      continue
    }
    // No length: the body runs to the end of the connection.
    responses.push({ status, headers, body: data.subarray(cursor), truncated: false })
    complete = closed
    offset = data.length
  }
  return { responses, interim, unparsed: Buffer.alloc(0), complete }
}

/** Bytes as a readable, copy-pasteable JS string literal (for findings and failure messages). */
export function showBytes(bytes: Buffer, max = 600): string {
  const text = JSON.stringify(bytes.subarray(0, max).toString('latin1'))
  return bytes.length > max ? `${text} … (${bytes.length} bytes)` : text
}
