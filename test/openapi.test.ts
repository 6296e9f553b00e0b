// GET /api/openapi.json describes every route the server answers, and the server answers every route it describes.
// The server's routes come from the same two tables it routes by (api-contract.ts's API, server-routes.ts); each
// described path and method is then probed over real HTTP and must reach a handler, not the "Nothing at" fallback.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, afterAll, describe, expect, it } from 'vitest'
import { API, API_METHODS } from '../src/shared/api-contract'
import { SERVER_ROUTE_IDS, SERVER_ROUTES } from '../src/main/core/server/server-routes'
import type { OpenApiDocument } from '../src/main/core/server/openapi'
import { startHarness, TEST_TOKEN, type Harness } from './helpers/core-harness'

let h: Harness
let doc: OpenApiDocument
beforeAll(async () => {
  // With a web console to serve: its files are looked up for paths outside the API, and must never shadow a route.
  const webConsoleDir = mkdtempSync(join(tmpdir(), 'sc-openapi-console-'))
  writeFileSync(join(webConsoleDir, 'index.html'), '<!doctype html><title>console</title>')
  h = await startHarness({ webConsoleDir })
  const response = await fetch(`${h.url}/api/openapi.json`, { headers: h.headers })
  expect(response.status).toBe(200)
  doc = (await response.json()) as OpenApiDocument
})
afterAll(async () => {
  await h?.close()
})

const described = (): string[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))

const routed = (): string[] => [
  ...API_METHODS.map((method) => `${API[method].http.method} ${API[method].http.path}`),
  ...SERVER_ROUTE_IDS.map((id) => `${SERVER_ROUTES[id].method} ${SERVER_ROUTES[id].path}`),
]

/** Answers the probe: status and our error code/message or OpenAI's (whichever shape came back). */
async function probe(method: string, path: string): Promise<{ status: number; message: string }> {
  const url = `${h.url}${path.replace(/\{\w+\}/g, '999999')}`
  const hasBody = method === 'POST' || method === 'PATCH'
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${TEST_TOKEN}`, ...(hasBody ? { 'Content-Type': 'application/json' } : {}) },
    ...(hasBody ? { body: '{}' } : {}),
    signal: AbortSignal.timeout(10_000),
  })
  const type = response.headers.get('content-type') ?? ''
  // A stream that opened is a route that answers; nothing more to read.
  if (type.startsWith('text/event-stream')) {
    await response.body?.cancel()
    return { status: response.status, message: '' }
  }
  const text = await response.text()
  let message = ''
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? ''
  } catch {
    // Not JSON (an export file): fine, it is not the fallback either.
  }
  return { status: response.status, message }
}

describe('GET /api/openapi.json', () => {
  it("is OpenAPI 3.1 with bearer and query-token security schemes and each route's access", () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.components).toMatchObject({
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, tokenQuery: { type: 'apiKey', in: 'query', name: 'token' } },
    })
    expect(doc.paths['/health']?.get?.security).toEqual([])
    expect(doc.paths['/api/conversations']?.get?.['x-access']).toEqual({ console: true, scopes: ['read'] })
    expect(doc.paths['/api/conversations']?.get?.security).toEqual([{ bearer: ['read'] }, { tokenQuery: ['read'] }])
    expect(doc.paths['/api/settings']?.patch?.security).toEqual([{ bearer: ['console'] }, { tokenQuery: ['console'] }])
    expect(doc.paths['/v1/chat/completions']?.post?.['x-access']).toMatchObject({ console: false, scopes: ['stream'] })
    expect(doc.paths['/v1/chat/completions']?.post?.security).toEqual([{ bearer: ['stream'] }])
    expect(doc.paths['/events']?.get?.['x-access']).toMatchObject({ scopes: ['read'] })
  })

  it('describes inputs with the schemas that validate them', () => {
    const list = doc.paths['/api/conversations']?.get
    // The review filters (issue 9) come first, then the search and the paging.
    expect(list?.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([
      ...['from', 'to', 'status', 'source', 'tag', 'feedback', 'model', 'usedReply'].map((name) => [name, 'query', false]),
      ['q', 'query', false],
      ['limit', 'query', false],
      ['cursor', 'query', false],
    ])
    const rename = doc.paths['/api/conversations/{id}']?.patch
    expect(rename?.parameters?.[0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'integer' } })
    expect(rename?.requestBody?.content['application/json']?.schema).toMatchObject({ type: 'object', required: ['title'] })
    // Two methods on one route, told apart by a fixed field.
    const messages = doc.paths['/api/conversations/{id}/messages']?.post
    expect(messages?.operationId).toBe('addCustomerMessage_or_useReply')
    expect(JSON.stringify(messages?.requestBody)).toContain('"const":"customer"')
    const chat = doc.paths['/v1/chat/completions']?.post?.requestBody?.content['application/json']?.schema as {
      required: string[]
      properties: object
    }
    expect(chat.required).toEqual(expect.arrayContaining(['model', 'messages']))
    expect(Object.keys(chat.properties)).toEqual(expect.arrayContaining(['stream', 'stream_options', 'metadata', 'tools']))
    const stream = doc.paths['/chat/stream']?.get
    expect(stream?.parameters?.map((p) => p.name)).toEqual(['message', 'conversation_id', 'source'])
    expect(doc.paths['/events']?.get?.parameters?.[0]).toMatchObject({ name: 'conversations', required: true })
    const createKey = doc.paths['/api/integration-keys']?.post?.requestBody?.content['application/json']?.schema as { properties: object }
    expect(Object.keys(createKey.properties)).toEqual(['name', 'scopes', 'limits'])
  })

  it('describes exactly the routes the server routes by', () => {
    expect(described().sort()).toEqual([...new Set(routed())].sort())
  })

  it('answers every described route: no probe reaches the "Nothing at" fallback, which an undescribed path does', async () => {
    const fallback = await probe('GET', '/api/not-a-route')
    expect(fallback).toEqual({ status: 404, message: 'Nothing at GET /api/not-a-route.' })
    const unreached: string[] = []
    for (const entry of described()) {
      const [method, path] = entry.split(' ') as [string, string]
      const { status, message } = await probe(method, path)
      if (status === 404 && message.startsWith('Nothing at')) unreached.push(entry)
      expect(status, entry).not.toBe(405)
    }
    expect(unreached).toEqual([])
  })

  it('needs a credential, like every route but /health', async () => {
    const response = await fetch(`${h.url}/api/openapi.json`)
    expect(response.status).toBe(401)
  })
})
