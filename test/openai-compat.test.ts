// The OpenAI-compatible routes, driven by the official `openai` client against the real core (SQLite, the HTTP
// server, the Gemini SDK) and the Gemini emulator: streaming and not, conversations continued, and every refusal
// raised by the client as its own APIError with the status.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI, { APIError } from 'openai'
import { describe, expect, it } from 'vitest'
import type { IntegrationScope } from '../src/shared/integration-keys'
import { harnessPerTest, TEST_TOKEN, type Harness } from './helpers/core-harness'

const start = harnessPerTest()

const keyFor = async (h: Harness, scopes: IntegrationScope[] = ['stream'], name = 'Helpdesk app'): Promise<string> =>
  (await h.core.api.createIntegrationKey({ name, scopes })).secret

const clientFor = (h: Harness, apiKey: string): OpenAI => new OpenAI({ apiKey, baseURL: `${h.url}/v1`, maxRetries: 0 })

/** The client's error, which must be an APIError (the request must fail). */
async function refusal(call: () => Promise<unknown>): Promise<APIError> {
  try {
    await call()
  } catch (error) {
    if (error instanceof APIError) return error
    throw error
  }
  throw new Error('the call succeeded')
}

const generateRequests = (h: Harness): Array<{ contents: Array<{ role: string; parts: Array<{ text: string }> }> }> =>
  h.emulator.requests.filter((r) => r.path.includes(':streamGenerateContent')).map((r) => r.body as never)

describe('POST /v1/chat/completions with the openai client', () => {
  it('answers a whole completion, saves the conversation under the key name, and names the real model', async () => {
    const h = await start()
    const client = clientFor(h, await keyFor(h))
    h.emulator.enqueue({ chunks: ['Your parcel ', 'left our depot ', 'this morning.'] })

    const answer = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Ignored: the console has its own persona.' },
        { role: 'user', content: 'Hello, I ordered a lamp.' },
        { role: 'assistant', content: 'Thanks, what is your order number?' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'It is 4711. ' },
            { type: 'text', text: 'Where is it?' },
          ],
        },
      ],
    })

    const { model } = await h.core.api.getSettings()
    expect(answer.object).toBe('chat.completion')
    expect(answer.model).toBe(model)
    expect(answer.choices).toHaveLength(1)
    expect(answer.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Your parcel left our depot this morning.' })
    expect(answer.choices[0]?.finish_reason).toBe('stop')
    expect(answer.usage?.completion_tokens).toBeGreaterThan(0)
    expect(answer.usage?.total_tokens).toBe((answer.usage?.prompt_tokens ?? 0) + (answer.usage?.completion_tokens ?? 0))

    // In the console's conversation list, with the key's name as its source.
    const { conversations } = await h.core.api.listConversations({})
    expect(conversations).toHaveLength(1)
    const conversation = conversations[0]
    expect(conversation).toMatchObject({ source: 'Helpdesk app', title: 'Hello, I ordered a lamp.' })
    const detail = await h.core.api.getConversation(conversation?.id ?? 0)
    expect(detail.messages.map((m) => [m.role, m.text, m.source, m.status])).toEqual([
      ['customer', 'Hello, I ordered a lamp.', 'Helpdesk app', 'complete'],
      ['agent', 'Thanks, what is your order number?', 'Helpdesk app', 'complete'],
      ['customer', 'It is 4711. Where is it?', 'Helpdesk app', 'complete'],
      ['assistant_draft', 'Your parcel left our depot this morning.', 'Helpdesk app', 'complete'],
    ])
    expect(answer.id).toBe(`chatcmpl-${detail.messages[3]?.id}`)
    expect((answer as unknown as { metadata: Record<string, string> }).metadata.conversation_id).toBe(String(conversation?.id))

    // Gemini got the conversation as turns; the system message went nowhere.
    const [sent] = generateRequests(h)
    expect(sent?.contents.map((c) => [c.role, c.parts.map((p) => p.text).join('')])).toEqual([
      ['user', 'Hello, I ordered a lamp.'],
      ['model', 'Thanks, what is your order number?'],
      ['user', 'It is 4711. Where is it?'],
    ])
    expect(JSON.stringify(h.emulator.requests.at(-1)?.body)).not.toContain('Ignored: the console has its own persona.')
  })

  it('streams chat.completion.chunk objects: role first, the text, a finish_reason, usage last, then [DONE]', async () => {
    const h = await start()
    const key = await keyFor(h)
    const client = clientFor(h, key)
    const chunks = ['Thanks ', 'for ', 'waiting!\n', '\n- one\n- [DONE]\n']
    h.emulator.enqueue({ chunks, delayMs: 5 })

    const stream = await client.chat.completions.create({
      model: 'anything',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Is my refund done?' }],
    })
    const received: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const chunk of stream) received.push(chunk)

    const first = received[0]
    expect(first?.choices[0]?.delta.role).toBe('assistant')
    expect(received.every((c) => c.object === 'chat.completion.chunk' && c.id === first?.id)).toBe(true)
    expect(received.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(chunks.join(''))
    const finishes = received.filter((c) => c.choices[0]?.finish_reason)
    expect(finishes.map((c) => c.choices[0]?.finish_reason)).toEqual(['stop'])
    const last = received.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0)
    expect(received.slice(0, -1).every((c) => c.usage === null)).toBe(true)

    const { conversations } = await h.core.api.listConversations({})
    expect(conversations.map((c) => c.source)).toEqual(['Helpdesk app'])
    const detail = await h.core.api.getConversation(conversations[0]?.id ?? 0)
    expect(detail.messages.at(-1)).toMatchObject({ role: 'assistant_draft', text: chunks.join(''), status: 'complete', source: 'Helpdesk app' })

    // On the wire: data: lines of JSON, then data: [DONE]; no usage chunk when it was not asked for.
    h.emulator.enqueue({ chunks: ['Sure.'] })
    const raw = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'x', stream: true, messages: [{ role: 'user', content: 'Thanks' }] }),
    })
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const body = await raw.text()
    const events = body.split('\n\n').filter((e) => e.startsWith('data: '))
    expect(events.at(-1)).toBe('data: [DONE]')
    const objects = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)) as OpenAI.Chat.Completions.ChatCompletionChunk)
    expect(objects.map((o) => o.choices[0]?.finish_reason ?? null)).toEqual([null, null, 'stop'])
    expect(objects.every((o) => !('usage' in o))).toBe(true)
  })

  it('continues a conversation with metadata.conversation_id, adding only the new user messages (with read)', async () => {
    const h = await start()
    const client = clientFor(h, await keyFor(h, ['stream', 'read']))
    h.emulator.enqueue({ chunks: ['What is the order number?'] })
    const first = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'My lamp is broken.' }] })
    const conversationId = (first as unknown as { metadata: { conversation_id: string } }).metadata.conversation_id

    h.emulator.enqueue({ chunks: ['A new lamp is on its way.'] })
    const second = await client.chat.completions.create({
      model: 'm',
      metadata: { conversation_id: conversationId },
      messages: [
        { role: 'user', content: 'My lamp is broken.' },
        { role: 'assistant', content: first.choices[0]?.message.content ?? '' },
        { role: 'user', content: 'It is 4711.' },
        { role: 'user', content: 'Please hurry.' },
      ],
    })
    expect(second.choices[0]?.message.content).toBe('A new lamp is on its way.')
    expect((await h.core.api.listConversations({})).conversations).toHaveLength(1)
    const detail = await h.core.api.getConversation(Number(conversationId))
    expect(detail.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'My lamp is broken.'],
      ['assistant_draft', 'What is the order number?'],
      ['customer', 'It is 4711.'],
      ['customer', 'Please hurry.'],
      ['assistant_draft', 'A new lamp is on its way.'],
    ])
    // Gemini saw the earlier draft as the reply, and the two new messages as one user turn.
    expect(generateRequests(h)[1]?.contents.map((c) => c.role)).toEqual(['user', 'model', 'user'])

    // Without 'read', continuing is refused: the reply would show what the conversation holds.
    const streamOnly = clientFor(h, await keyFor(h, ['stream'], 'Stream only'))
    const refused = await refusal(() =>
      streamOnly.chat.completions.create({ model: 'm', metadata: { conversation_id: conversationId }, messages: [{ role: 'user', content: 'Hi' }] }),
    )
    expect(refused.status).toBe(403)
    expect(refused.message).toContain('read')
    // An unknown conversation is a 404.
    const missing = await refusal(() =>
      client.chat.completions.create({ model: 'm', metadata: { conversation_id: '999999' }, messages: [{ role: 'user', content: 'Hi' }] }),
    )
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError)
    expect(missing.error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' })
  })

  it('maps how Gemini finished: MAX_TOKENS is length, SAFETY is content_filter', async () => {
    const h = await start()
    const client = clientFor(h, await keyFor(h))
    h.emulator.enqueue({ chunks: ['A long ', 'answer that'], finishReason: 'MAX_TOKENS' })
    const cut = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Tell me everything.' }] })
    expect(cut.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'A long answer that' } })

    h.emulator.enqueue({ chunks: ['Well, ', 'so', 'never'], fault: { type: 'finish-reason', afterChunks: 1, finishReason: 'SAFETY' } })
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'Something risky' }] })
    const reasons: Array<string | null | undefined> = []
    let text = ''
    for await (const chunk of stream) {
      reasons.push(chunk.choices[0]?.finish_reason)
      text += chunk.choices[0]?.delta.content ?? ''
    }
    expect(reasons.at(-1)).toBe('content_filter')
    expect(text).toBe('Well, ')

    h.emulator.enqueue({ chunks: ['cut ', 'short'], finishReason: null })
    const early = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] })
    expect(early.choices[0]?.finish_reason).toBe('length')
  })

  it('streams a grounded draft: the knowledge base passages go to Gemini and are saved with the draft', async () => {
    const kb = mkdtempSync(join(tmpdir(), 'sc-openai-kb-'))
    writeFileSync(
      join(kb, 'refunds.md'),
      '# Refunds\n\n## How long refunds take\n\nRefunds are paid to the original payment method within 5 to 7 business days.\n',
    )
    const h = await start({ env: { SUPPORT_CONSOLE_KB_DIR: kb } })
    await h.core.knowledge.idle()
    const client = clientFor(h, await keyFor(h))
    h.emulator.enqueue({ chunks: ['Refunds take ', '5 to 7 business days [1].'] })
    const stream = await client.chat.completions.create({
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('Refunds take 5 to 7 business days [1].')
    const request = h.emulator.requests.find((r) => r.path.includes(':streamGenerateContent'))
    expect(JSON.stringify((request?.body as { systemInstruction?: unknown }).systemInstruction)).toContain('within 5 to 7 business days')
    const { conversations } = await h.core.api.listConversations({})
    const draft = (await h.core.api.getConversation(conversations[0]?.id ?? 0)).messages.at(-1)
    expect(draft).toMatchObject({ role: 'assistant_draft', source: 'Helpdesk app', status: 'complete' })
    expect(draft?.sources.map((s) => s.path)).toEqual(['refunds.md'])
    rmSync(kb, { recursive: true, force: true })
  })

  it('lists the one model at GET /v1/models', async () => {
    const h = await start()
    const client = clientFor(h, await keyFor(h))
    const models = []
    for await (const model of client.models.list()) models.push(model)
    expect(models.map((m) => m.id)).toEqual([(await h.core.api.getSettings()).model])
  })
})

describe('errors as OpenAI errors', () => {
  it('refuses a missing or bad key with 401 invalid_api_key, the console token and a key without stream with 403', async () => {
    const h = await start()
    const bad = await refusal(() =>
      clientFor(h, 'sck_not-a-key').chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }),
    )
    expect(bad).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(bad.status).toBe(401)
    expect(bad.error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error', param: null })
    expect(bad.message).toContain('not valid')

    const console = await refusal(() => clientFor(h, TEST_TOKEN).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }))
    expect(console).toBeInstanceOf(OpenAI.PermissionDeniedError)
    expect(console.message).toContain('integration key')
    const consoleModels = await refusal(() => clientFor(h, TEST_TOKEN).models.list())
    expect(consoleModels.status).toBe(403)

    const readOnly = clientFor(h, await keyFor(h, ['read'], 'Reader'))
    const scope = await refusal(() => readOnly.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }))
    expect(scope.status).toBe(403)
    expect(scope.error).toMatchObject({ type: 'permission_error', code: 'permission_denied' })
    expect(scope.message).toContain('stream')

    // Unknown paths under /v1 are OpenAI errors too.
    const unknown = await fetch(`${h.url}/v1/embeddings`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_TOKEN}` } })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({
      error: { message: 'Nothing at POST /v1/embeddings.', type: 'invalid_request_error', param: null, code: 'not_found' },
    })
    expect(generateRequests(h)).toHaveLength(0)
    expect((await h.core.api.listConversations({})).conversations).toHaveLength(0)
  })

  it('refuses what it does not support with 400 naming the parameter, and starts nothing', async () => {
    const h = await start()
    const client = clientFor(h, await keyFor(h))
    const user = [{ role: 'user' as const, content: 'Hi' }]
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['tools', () => client.chat.completions.create({ model: 'm', messages: user, tools: [{ type: 'function', function: { name: 'f' } }] })],
      ['n', () => client.chat.completions.create({ model: 'm', messages: user, n: 2 })],
      ['logprobs', () => client.chat.completions.create({ model: 'm', messages: user, logprobs: true })],
      ['response_format', () => client.chat.completions.create({ model: 'm', messages: user, response_format: { type: 'json_object' } })],
      [
        'messages[0].content[0].type',
        () =>
          client.chat.completions.create({
            model: 'm',
            messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }],
          }),
      ],
      ['messages', () => client.chat.completions.create({ model: 'm', messages: [...user, { role: 'assistant', content: 'Hello' }] })],
      ['messages', () => client.chat.completions.create({ model: 'm', messages: [] })],
      ['model', () => client.chat.completions.create({ model: '', messages: user })],
      ['metadata.conversation_id', () => client.chat.completions.create({ model: 'm', messages: user, metadata: { conversation_id: 'abc' } })],
    ]
    for (const [param, call] of cases) {
      const error = await refusal(call)
      expect(error, param).toBeInstanceOf(OpenAI.BadRequestError)
      expect(error.error, param).toMatchObject({ type: 'invalid_request_error', param })
    }
    // Sampling settings are accepted and ignored.
    h.emulator.enqueue({ chunks: ['Hello!'] })
    const ok = await client.chat.completions.create({
      model: 'm',
      messages: user,
      temperature: 0.2,
      max_tokens: 5,
      top_p: 0.5,
      stop: ['x'],
      user: 'u1',
    })
    expect(ok.choices[0]?.message.content).toBe('Hello!')
    expect(generateRequests(h)).toHaveLength(1)
  })

  it('reports a failed draft with the status its kind has, before and after text was streamed', async () => {
    const h = await start({ env: { GEMINI_API_KEY: 'wrong-key' } })
    const client = clientFor(h, await keyFor(h))
    const auth = await refusal(() => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }))
    expect(auth.status).toBe(503)
    expect(auth.error).toMatchObject({ type: 'server_error', code: 'gemini_not_configured' })
    expect(auth.headers?.get('x-should-retry')).toBe('false')
    await h.close()

    const h2 = await start()
    const client2 = clientFor(h2, await keyFor(h2))
    h2.emulator.enqueue({ chunks: ['Part one, ', 'part two', 'never'], delayMs: 5, fault: { type: 'drop', afterChunks: 2 } })
    const stream = await client2.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'Hi' }] })
    let text = ''
    const failed = await refusal(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    })
    expect(text).toBe('Part one, part two')
    expect(failed.error).toMatchObject({ type: 'server_error', code: 'gemini_unreachable' })
    // The transcript keeps the partial text with its error.
    const { conversations } = await h2.core.api.listConversations({})
    const detail = await h2.core.api.getConversation(conversations[0]?.id ?? 0)
    expect(detail.messages.at(-1)).toMatchObject({ status: 'error', text: 'Part one, part two' })
  })
})
