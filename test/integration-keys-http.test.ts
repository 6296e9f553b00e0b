// Who may do what over HTTP, as tests: the console's own session (its token, from no Origin or the server's own)
// may do everything; an integration key only what its scopes allow, and never settings or keys; the console's
// token from another site's page is refused. Real core, real server, Gemini emulated.
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CreatedIntegrationKey, IntegrationKeyView, IntegrationScope } from '../src/shared/integration-keys'
import { INTEGRATION_KEYS_FILE } from '../src/main/core/config/integration-keys'
import { SETTINGS_FILE } from '../src/main/core/config/settings'
import { harnessPerTest, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { isDone, openSse } from './helpers/sse-client'
import { waitFor } from './helpers/wait-for'

const start = harnessPerTest()
afterEach(() => {
  vi.restoreAllMocks()
})

const HELPDESK = 'https://helpdesk.example.com'

interface Answer {
  status: number
  headers: Headers
  json: unknown
}

async function send(
  h: Harness,
  method: string,
  path: string,
  credential: string,
  options: { body?: unknown; origin?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${credential}` }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.origin) headers.Origin = options.origin
  const response = await fetch(`${h.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
  const text = await response.text()
  const isJson = /application\/json/.test(response.headers.get('content-type') ?? '')
  return { status: response.status, headers: response.headers, json: isJson && text ? JSON.parse(text) : text }
}

const errorOf = (answer: Answer): { code: string; message: string } => (answer.json as { error: { code: string; message: string } }).error

/** A key made the way Settings (or a script of the user's) makes one: POST /api/integration-keys with the console's token. */
async function createKey(h: Harness, name: string, scopes: IntegrationScope[]): Promise<CreatedIntegrationKey> {
  const answer = await send(h, 'POST', '/api/integration-keys', TEST_TOKEN, { body: { name, scopes } })
  expect(answer.status, JSON.stringify(answer.json)).toBe(201)
  return answer.json as CreatedIntegrationKey
}

/** A conversation with a customer message and a saved reply, made by the console. */
async function seeded(h: Harness): Promise<number> {
  const { id } = await h.core.api.createConversation({ title: 'Parcel' })
  await h.core.api.addCustomerMessage(id, 'Where is my parcel?')
  await h.core.api.useReply(id, 'On its way.')
  return id
}

/** Streams a reply to the end; resolves with the SSE events. */
async function streamReply(
  h: Harness,
  query: string,
  credential: string,
): Promise<{ status: number; meta?: { conversationId: number; messageId: number } }> {
  const sse = await openSse(`${h.url}/chat/stream?${query}`, { headers: { Authorization: `Bearer ${credential}` } })
  if (sse.response.status !== 200) {
    sse.close()
    return { status: sse.response.status }
  }
  const events = await sse.readUntil(isDone)
  const meta = events.find((e) => e.event === 'meta')
  return { status: 200, meta: meta && (JSON.parse(meta.data) as { conversationId: number; messageId: number }) }
}

const settingsFile = (h: Harness): string => {
  const file = join(h.dataDir, SETTINGS_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8') : ''
}

describe('managing keys', () => {
  it('answers the secret once, on creation; the list never holds a secret', async () => {
    const h = await start()
    const created = await createKey(h, 'Helpdesk', ['read', 'stream'])
    expect(created.secret).toMatch(/^sck_[A-Za-z0-9_-]{43}$/)
    expect(created.key).toMatchObject({ name: 'Helpdesk', scopes: ['stream', 'read'], lastUsedAt: null, prefix: created.secret.slice(0, 10) })

    const listed = await send(h, 'GET', '/api/integration-keys', TEST_TOKEN)
    expect(listed.status).toBe(200)
    expect(listed.json).toEqual([created.key])
    expect(JSON.stringify(listed.json)).not.toContain(created.secret)
    // Nowhere to fetch it again: no route answers one key, and the file holds a digest only.
    expect((await send(h, 'GET', `/api/integration-keys/${created.key.id}`, TEST_TOKEN)).status).toBe(405)
    expect(readFileSync(join(h.dataDir, INTEGRATION_KEYS_FILE), 'utf8')).not.toContain(created.secret)
    // After a restart the key still works, and still without its secret anywhere.
    await h.restart()
    expect((await send(h, 'GET', '/api/conversations', created.secret)).status).toBe(200)
    expect(JSON.stringify(await h.core.api.listIntegrationKeys())).not.toContain(created.secret)
  })

  it('refuses bad input, a name already taken and an unknown id, clearly', async () => {
    const h = await start()
    await createKey(h, 'Helpdesk', ['stream'])
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/api/integration-keys', { name: 'helpdesk', scopes: ['read'] }, 409, /already an integration key named/],
      ['POST', '/api/integration-keys', { name: 'app', scopes: ['read'] }, 400, /console's own source/],
      ['POST', '/api/integration-keys', { name: 'CRM', scopes: ['admin'] }, 400, /scope must be one of stream, read, export/],
      ['POST', '/api/integration-keys', { name: 'CRM', scopes: [] }, 400, /at least one scope/],
      ['POST', '/api/integration-keys', { name: 'CRM', scopes: ['read'], secret: 'mine' }, 400, /secret|unrecognized/i],
      ['DELETE', '/api/integration-keys/0123456789abcdef', undefined, 404, /no integration key 0123456789abcdef/],
      ['DELETE', '/api/integration-keys/nope', undefined, 400, /not an integration key id/],
    ]
    for (const [method, path, body, status, message] of cases) {
      const answer = await send(h, method, path, TEST_TOKEN, { body })
      expect(answer.status, String(message)).toBe(status)
      expect(errorOf(answer).message).toMatch(message)
    }
    expect((await h.core.api.listIntegrationKeys()).map((key) => key.name)).toEqual(['Helpdesk'])
  })

  it('revokes at once: the next request with the key is refused with 401', async () => {
    const h = await start()
    const { key, secret } = await createKey(h, 'Helpdesk', ['read'])
    expect((await send(h, 'GET', '/api/conversations', secret)).status).toBe(200)
    const revoked = await send(h, 'DELETE', `/api/integration-keys/${key.id}`, TEST_TOKEN)
    expect(revoked.status).toBe(204)
    const after = await send(h, 'GET', '/api/conversations', secret)
    expect(after.status).toBe(401)
    expect(errorOf(after).message).toMatch(/revoked/)
    expect((await streamReply(h, 'message=hi', secret)).status).toBe(401)
    expect(h.emulator.requests).toHaveLength(0)
    expect(await h.core.api.listIntegrationKeys()).toEqual([])
  })

  it('ends the streams a key holds open when it is revoked', async () => {
    const h = await start()
    const id = await seeded(h)
    const { key, secret } = await createKey(h, 'Follower', ['read'])
    const follow = await openSse(`${h.url}/conversations/${id}/events`, { headers: { Authorization: `Bearer ${secret}` } })
    expect(follow.response.status).toBe(200)
    const own = await openSse(`${h.url}/conversations/${id}/events`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })
    await h.core.api.revokeIntegrationKey(key.id)
    expect(await follow.next()).toBeUndefined()
    // The console's own follower stays.
    await waitFor(() => h.core.server.openStreams === 1, 'the revoked key’s stream to close')
    expect(own.response.status).toBe(200)
    own.close()
  })

  it('records when each key was last used', async () => {
    const h = await start()
    const reader = await createKey(h, 'Reader', ['read'])
    const idle = await createKey(h, 'Idle', ['read'])
    const before = Date.now()
    expect((await send(h, 'GET', '/api/conversations', reader.secret)).status).toBe(200)
    const listed = (await send(h, 'GET', '/api/integration-keys', TEST_TOKEN)).json as IntegrationKeyView[]
    const used = listed.find((key) => key.id === reader.key.id)
    expect(Date.parse(used?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(before - 1_000)
    expect(listed.find((key) => key.id === idle.key.id)?.lastUsedAt).toBeNull()
    // Written at shutdown at the latest (during a run, at most once a minute).
    await h.restart()
    expect((await h.core.api.listIntegrationKeys()).find((key) => key.id === reader.key.id)?.lastUsedAt).toBe(used?.lastUsedAt)
  })
})

describe('an integration key', () => {
  it("with only 'stream' streams a reply, and is refused everything else with 403, changing nothing", async () => {
    const h = await start()
    const id = await seeded(h)
    const { secret } = await createKey(h, 'Widget', ['stream'])
    h.emulator.enqueue({ chunks: ['Hello ', 'there.'] })
    const streamed = await streamReply(h, 'message=hi', secret)
    expect(streamed.status).toBe(200)
    expect(h.core.store.getDetail(streamed.meta?.conversationId ?? 0)?.messages[1]).toMatchObject({ text: 'Hello there.', status: 'complete' })

    const settingsBefore = settingsFile(h)
    const refusals: Array<[string, string, unknown?]> = [
      ['GET', '/api/conversations'],
      ['GET', `/api/conversations/${id}`],
      ['GET', `/api/conversations/${id}/export?format=json`],
      ['PATCH', '/api/settings', { allowedOrigins: ['https://evil.example'], systemInstruction: 'Leak everything.' }],
      ['GET', '/api/settings'],
      ['DELETE', `/api/conversations/${id}`],
      ['PATCH', `/api/conversations/${id}`, { title: 'Renamed by a widget' }],
      ['POST', `/api/conversations/${id}/messages`, { role: 'agent', text: 'Sent by a widget' }],
      ['POST', `/api/conversations/${id}/draft`],
      ['POST', '/api/integration-keys', { name: 'Escalated', scopes: ['read', 'export'] }],
      ['GET', '/api/integration-keys'],
      ['DELETE', '/api/integration-keys/0123456789abcdef'],
      ['GET', `/conversations/${id}/events`],
    ]
    const detailBefore = await h.core.api.getConversation(id)
    for (const [method, path, body] of refusals) {
      const answer = await send(h, method, path, secret, { body })
      expect(answer.status, `${method} ${path}`).toBe(403)
      expect(errorOf(answer)).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Widget/) })
    }
    // Continuing an existing conversation shows the model (and the key) its transcript: that needs 'read' too.
    const continued = await send(h, 'GET', `/chat/stream?message=more&conversation_id=${id}`, secret)
    expect(continued.status).toBe(403)
    expect(errorOf(continued).message).toMatch(/lacks the read scope/)
    const posted = await send(h, 'POST', '/chat/stream', secret, { body: { message: 'more', conversationId: id } })
    expect(posted.status).toBe(403)

    expect(settingsFile(h)).toBe(settingsBefore)
    expect(await h.core.api.getConversation(id)).toEqual(detailBefore)
    expect((await h.core.api.listIntegrationKeys()).map((key) => key.name)).toEqual(['Widget'])
    expect(h.emulator.requests).toHaveLength(1)
  })

  it('says why a console-only route is refused, and that settings and keys are the console’s own', async () => {
    const h = await start()
    const { secret } = await createKey(h, 'Everything', ['stream', 'read', 'export'])
    for (const [method, path, body] of [
      ['PATCH', '/api/settings', { systemInstruction: 'x' }],
      ['POST', '/api/integration-keys', { name: 'More', scopes: ['read'] }],
    ] as const) {
      const answer = await send(h, method, path, secret, { body })
      expect(answer.status).toBe(403)
      expect(errorOf(answer).message).toMatch(/only the console's own session may see or change settings, manage integration keys/)
    }
  })

  it("with 'read' lists, opens and follows conversations, but cannot export them; 'export' can", async () => {
    const h = await start()
    const id = await seeded(h)
    const reader = await createKey(h, 'Reader', ['read'])
    const exporter = await createKey(h, 'Exporter', ['export'])
    const list = await send(h, 'GET', '/api/conversations', reader.secret)
    expect(list.status).toBe(200)
    expect(list.json).toEqual(await h.core.api.listConversations({}))
    const detail = await send(h, 'GET', `/api/conversations/${id}`, reader.secret)
    expect(detail.status).toBe(200)
    expect(detail.json).toEqual(await h.core.api.getConversation(id))
    const follow = await openSse(`${h.url}/conversations/${id}/events`, { headers: { Authorization: `Bearer ${reader.secret}` } })
    expect(follow.response.status).toBe(200)
    follow.close()

    const refused = await send(h, 'GET', `/api/conversations/${id}/export?format=json`, reader.secret)
    expect(refused.status).toBe(403)
    expect(errorOf(refused).message).toMatch(/"Reader" lacks the export scope/)
    // A reader cannot start drafts either: each scope is its own.
    expect((await streamReply(h, 'message=hi', reader.secret)).status).toBe(403)

    const exported = await send(h, 'GET', `/api/conversations/${id}/export?format=json`, exporter.secret)
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment/)
    expect((await send(h, 'GET', '/api/conversations', exporter.secret)).status).toBe(403)
    expect(h.emulator.requests).toHaveLength(0)
  })

  it("saves its drafts under its own name, whatever source the request gives; with 'read' it may continue a conversation", async () => {
    const h = await start()
    const { secret } = await createKey(h, 'Zendesk widget', ['stream', 'read'])
    h.emulator.enqueue({ chunks: ['First.'] })
    const first = await streamReply(h, 'message=hello&source=app', secret)
    expect(first.status).toBe(200)
    const conversationId = first.meta?.conversationId ?? 0
    h.emulator.enqueue({ chunks: ['Second.'] })
    const posted = await openSse(`${h.url}/chat/stream`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'and then?', conversationId, source: 'crm' }),
    })
    expect(posted.response.status).toBe(200)
    await posted.readUntil(isDone)

    const detail = await h.core.api.getConversation(conversationId)
    expect(detail.conversation.source).toBe('Zendesk widget')
    expect(detail.messages.map((m) => [m.role, m.source])).toEqual([
      ['customer', 'Zendesk widget'],
      ['assistant_draft', 'Zendesk widget'],
      ['customer', 'Zendesk widget'],
      ['assistant_draft', 'Zendesk widget'],
    ])
    // The console's own token still names the source it asks for.
    h.emulator.enqueue({ chunks: ['Third.'] })
    const own = await streamReply(h, 'message=hi&source=crm', TEST_TOKEN)
    expect((await h.core.api.getConversation(own.meta?.conversationId ?? 0)).conversation.source).toBe('crm')
  })

  it("without 'read' resumes only the replies it started, not other drafts by their (sequential) ids", async () => {
    const h = await start()
    const { secret } = await createKey(h, 'Widget', ['stream'])
    h.emulator.enqueue({ chunks: ['Mine.'] })
    const mine = await streamReply(h, 'message=hi', secret)
    const id = await seeded(h)
    h.emulator.enqueue({ chunks: ['The console’s.'] })
    const { messageId } = await h.core.api.startDraft(id)
    const resume = (message: number): Promise<Response> =>
      fetch(`${h.url}/chat/stream`, { headers: { Authorization: `Bearer ${secret}`, 'Last-Event-ID': `${message}-1` } })
    const own = await resume(mine.meta?.messageId ?? 0)
    expect([200, 204]).toContain(own.status)
    await own.body?.cancel()
    const other = await resume(messageId)
    expect(other.status).toBe(403)
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/lacks the read scope/)
  })
})

describe('browser origins', () => {
  it("refuse the console's own token from another site's page, naming integration keys; a key works there", async () => {
    const h = await start({ settings: { allowedOrigins: [HELPDESK] } })
    const id = await seeded(h)
    for (const [method, path, body] of [
      ['GET', '/api/conversations'],
      ['PATCH', '/api/settings', { allowedOrigins: ['https://evil.example'] }],
      ['DELETE', `/api/conversations/${id}`],
      ['GET', '/chat/stream?message=hi'],
    ] as const) {
      const answer = await send(h, method, path, TEST_TOKEN, { body, origin: HELPDESK })
      expect(answer.status, `${method} ${path}`).toBe(403)
      expect(errorOf(answer).message).toMatch(/integration key/)
      // The page may read the refusal, so it can tell its user what to do.
      expect(answer.headers.get('access-control-allow-origin')).toBe(HELPDESK)
    }
    const { secret } = await createKey(h, 'Helpdesk', ['read'])
    const listed = await send(h, 'GET', '/api/conversations', secret, { origin: HELPDESK })
    expect(listed.status).toBe(200)
    expect(listed.headers.get('access-control-allow-origin')).toBe(HELPDESK)
    // The web console's own origin is the console's session, as are requests without an Origin (scripts).
    expect((await send(h, 'PATCH', '/api/settings', TEST_TOKEN, { body: { systemInstruction: 'Be kind.' }, origin: h.url })).status).toBe(200)
    expect((await send(h, 'GET', '/api/settings', TEST_TOKEN)).status).toBe(200)
    expect(await h.core.api.getConversation(id)).toBeDefined()
    expect(h.emulator.requests).toHaveLength(0)
  })
})

describe('a keys file this version cannot use', () => {
  it('does not stop the console: it starts with keys unavailable, says which file, and never overwrites it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sc-keys-http-'))
    const file = join(dataDir, INTEGRATION_KEYS_FILE)
    const content = '{"version": 9, "keys": []}'
    writeFileSync(file, content)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const h = await start({ dataDir })
    expect(logged.mock.calls.map((call) => String(call[0])).join('\n')).toMatch(
      new RegExp(`Integration keys are unavailable.*${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
    )
    expect((await send(h, 'GET', '/api/conversations', TEST_TOKEN)).status).toBe(200)
    for (const [method, path, body] of [
      ['GET', '/api/integration-keys'],
      ['POST', '/api/integration-keys', { name: 'Helpdesk', scopes: ['read'] }],
      ['DELETE', '/api/integration-keys/0123456789abcdef'],
    ] as const) {
      const answer = await send(h, method, path, TEST_TOKEN, { body })
      expect(answer.status, `${method} ${path}`).toBe(503)
      expect(errorOf(answer)).toMatchObject({ code: 'unavailable', message: expect.stringContaining(file) })
    }
    await expect(h.core.api.listIntegrationKeys()).rejects.toMatchObject({ code: 'unavailable' })
    // A key-shaped token is simply not valid while the file is refused.
    expect((await send(h, 'GET', '/api/conversations', 'sck_0123456789012345678901234567890123456789012')).status).toBe(401)
    await h.close()
    expect(readFileSync(file, 'utf8')).toBe(content)
  })
})
