// Child process: the least a relay on the same Gemini SDK can do, for the side-by-side bench (bench/compare.ts).
// GET /chat/stream?message=… asks the emulator for a streamed reply through `@google/generative-ai` exactly as
// the core does (generateContentStream, the emulator as baseUrl) and re-sends each chunk's text as an SSE
// `data:` line, then `data: [DONE]`. No store, no hub, no guards: whatever the core costs beyond this is its own.
// With RELAY_MODE=bare the same relay skips the SDK and reads the emulator's SSE with node:http: the floor any
// relay in Node can reach on this machine.
import { Agent, createServer, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GoogleGenerativeAI } from '@google/generative-ai'
import { sharedClockMs } from './clock'
import { announceReady, serveCommands } from './ipc'
import { LoadProbe } from './process-load'
import { MemoryProbe } from './memory-probe'
import type { RelayPhase } from './compare-messages'

const baseUrl = process.env.GEMINI_BASE_URL ?? ''
const apiKey = process.env.GEMINI_API_KEY ?? ''
const modelName = process.env.GEMINI_MODEL ?? 'gemini-bench'
if (!baseUrl.startsWith('http://127.0.0.1:')) throw new Error(`GEMINI_BASE_URL must be the local emulator, got ${baseUrl}`)

const bare = process.env.RELAY_MODE === 'bare'
let openStreams = 0

/** One text per Gemini SSE line, without the SDK: what the bare relay forwards. */
function textOf(line: string): string {
  const chunk = JSON.parse(line.slice(5)) as { candidates?: { content?: { parts?: { text?: string }[] } }[] }
  return chunk.candidates?.[0]?.content?.parts?.map((part) => part.text ?? '').join('') ?? ''
}

const upstreamAgent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })

function bareRelay(res: ServerResponse, message: string): void {
  const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: message }] }], generationConfig: {}, safetySettings: [] })
  const upstream = request(`${baseUrl}/v1beta/models/${modelName}:streamGenerateContent?alt=sse`, {
    method: 'POST',
    agent: upstreamAgent,
    headers: { 'content-type': 'application/json', 'x-goog-api-key': apiKey, 'content-length': Buffer.byteLength(body) },
  })
  openStreams++
  let done = false
  const finish = (): void => {
    if (done) return
    done = true
    openStreams--
  }
  res.on('close', () => {
    upstream.destroy()
    finish()
  })
  upstream.on('response', (reply) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    reply.setEncoding('utf8')
    let buffer = ''
    reply.on('data', (text: string) => {
      buffer += text
      let start = 0
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', start)) {
        const line = buffer.slice(start, nl).trimEnd()
        start = nl + 1
        if (!line.startsWith('data:')) continue
        const text = textOf(line)
        if (text) res.write(`data: ${JSON.stringify({ text })}\n\n`)
      }
      buffer = buffer.slice(start)
    })
    reply.on('end', () => {
      res.end('data: [DONE]\n\n')
      finish()
    })
  })
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
    res.end(String(error))
    finish()
  })
  upstream.end(body)
}

async function relay(res: ServerResponse, message: string): Promise<void> {
  const controller = new AbortController()
  res.on('close', () => controller.abort())
  openStreams++
  try {
    const model = new GoogleGenerativeAI(apiKey).getGenerativeModel({ model: modelName }, { baseUrl })
    const result = await model.generateContentStream({ contents: [{ role: 'user', parts: [{ text: message }] }] }, { signal: controller.signal })
    result.response.catch(() => undefined)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    for await (const chunk of result.stream) {
      const text = chunk.candidates?.[0]?.content?.parts?.map((part) => part.text ?? '').join('') ?? ''
      if (text) res.write(`data: ${JSON.stringify({ text })}\n\n`)
    }
    res.end('data: [DONE]\n\n')
  } catch (error) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
    res.end(String(error))
  } finally {
    openStreams--
  }
}

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const message = url.searchParams.get('message') ?? ''
    if (url.pathname === '/chat/stream') return bare ? bareRelay(res, message) : void relay(res, message)
    res.writeHead(url.pathname === '/health' ? 200 : 404, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, resolve))
  const load = new LoadProbe()
  const memory = new MemoryProbe()
  serveCommands({
    clock: () => sharedClockMs(),
    'phase-start': () => load.start(),
    'phase-end': () => {
      const stats: RelayPhase = { load: load.stop(), openStreams }
      return stats
    },
    memory: () => memory.take(),
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      memory.stop()
    },
  })
  announceReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
}

main().catch((error: unknown) => {
  console.error('bench minimal relay could not start:', error)
  process.exit(1)
})
