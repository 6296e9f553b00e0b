// A byte-for-byte TCP relay in front of the local server that records each request line and the status the server
// answered it with. A browser hides both from a page (and from Playwright) when CORS blocks a response; security
// tests need them to prove that a request reached the server and was refused there.
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface Recorded {
  method: string
  target: string
}

export interface RecordingProxy {
  url: string
  /** Requests seen, in order, each with the status the server answered (undefined: none yet). */
  exchanges(): Array<Recorded & { status: number | undefined }>
  /** Forgets what was recorded so far. */
  reset(): void
  close(): Promise<void>
}

const REQUEST_LINE = /(?:^|\r\n\r\n)([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/g
const STATUS_LINE = /(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g

export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const connections: Array<{ sent: string; received: string }> = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const record = { sent: '', received: '' }
    connections.push(record)
    const upstream = connect({ port: targetPort, host: '127.0.0.1' })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (chunk: Buffer) => {
      record.sent += chunk.toString('latin1')
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      record.received += chunk.toString('latin1')
      client.write(chunk)
    })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    // Pairs the n-th request on a connection with the n-th status line on it: HTTP/1.1 answers in order.
    exchanges: () =>
      connections.flatMap(({ sent, received }) => {
        const statuses = [...received.matchAll(STATUS_LINE)].map((m) => Number(m[1])).filter((s) => s >= 200)
        return [...sent.matchAll(REQUEST_LINE)].map((m, i) => ({ method: m[1] as string, target: m[2] as string, status: statuses[i] }))
      }),
    // A browser reuses connections: clear what each one recorded rather than forget the connections.
    reset: () => {
      for (const record of connections) {
        record.sent = ''
        record.received = ''
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
