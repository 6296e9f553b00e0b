// A TCP port on 127.0.0.1 that was free a moment ago, for a server this process does not start itself (gunicorn, a
// second console). Listening on port 0 is better wherever the server is ours.
import { createServer } from 'node:net'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
