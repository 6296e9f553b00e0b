// fast-check arbitraries for raw HTTP requests to the local server: paths (routes with good and bad ids,
// traversal, percent-encoded and raw bytes, very long), query strings, credentials (token, Host, Origin, each
// right or wrong in many ways), bodies (random and near-valid JSON, invalid UTF-8, huge) and framing (honest,
// lying or contradictory lengths, chunked, broken chunked, no length). Each request records what its
// credentials claim, so a property can tell a request the server must refuse from one it may serve.
import fc from 'fast-check'

export type TokenClaim = 'valid' | 'refused'
export type HostClaim = 'loopback' | 'refused'
export type OriginClaim = 'none-or-own' | 'refused'
export type Framing = 'length' | 'none' | 'short' | 'long' | 'chunked' | 'chunked-broken' | 'length-and-chunked' | 'length-garbage' | 'te-garbage'

export interface FuzzRequest {
  method: string
  target: string
  version: string
  lineEnding: string
  /** Header lines in order, as raw latin1 text (a value may hold any byte). */
  headers: Array<[string, string]>
  body: Buffer
  framing: Framing
  /** Split into this many pieces, written `trickleMs` apart (1: all at once). */
  pieces: number
  trickleMs: number
  claims: { token: TokenClaim; host: HostClaim; origin: OriginClaim }
}

export interface RequestContext {
  port: number
  token: string
  /** Conversation ids that exist when the run starts (more may come and go). */
  ids: number[]
}

/** The text with control characters (C0 and DEL) removed. */
const withoutControls = (text: string): string => [...text].filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f).join('')

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values)

/** Any text, including lone surrogates, controls and non-Latin scripts. */
const anyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength }))

/** Stands for the id of the n-th conversation that exists when the request is sent (see `withLiveIds`). */
export const LIVE_ID = /\{live(\d)\}/g

function idArbitrary(ids: number[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('{live0}', '{live1}', '{live2}') },
    { weight: 1, arbitrary: fc.constantFrom(...ids.map(String)) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) },
    {
      weight: 3,
      arbitrary: pick(
        '0',
        '-1',
        '999999',
        'abc',
        '1e3',
        '0x10',
        '1.5',
        '%31',
        '%20',
        '..',
        '%2e%2e',
        '9'.repeat(30),
        '9007199254740993',
        '1%00',
        'NaN',
        'Infinity',
        '',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) },
  )
}

function pathArbitrary(ids: number[]): fc.Arbitrary<string> {
  const id = idArbitrary(ids)
  const route = fc.oneof(
    pick('/health', '/api/conversations', '/api/settings', '/chat/stream', '/', '/index.html', '/assets/x.js'),
    id.map((i) => `/api/conversations/${i}`),
    id.map((i) => `/api/conversations/${i}/messages`),
    id.map((i) => `/api/conversations/${i}/draft`),
    id.map((i) => `/api/conversations/${i}/draft/stop`),
    id.map((i) => `/api/conversations/${i}/export`),
    id.map((i) => `/conversations/${i}/events`),
  )
  const traversal = pick(
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/api/conversations/..%2f..%2fsettings',
    '/api/conversations/1/../../settings',
    '/api//conversations',
    '//evil.example/api/conversations',
    '/health/',
    '/HEALTH',
    '/chat/stream/',
    '/api/conversations%2f1',
    '/%00',
    '/api/settings%00.json',
    '/..\\..\\windows\\win.ini',
    '/api/conversations/1/export/../../../settings.json',
  )
  // Raw bytes in the path: control characters, spaces and non-ASCII sent unencoded (latin1, one byte each).
  const rawBytes = fc.uint8Array({ minLength: 1, maxLength: 20 }).map((bytes) => `/${Buffer.from(bytes).toString('latin1')}`)
  const encoded = fc.uint8Array({ maxLength: 30 }).map((bytes) => `/${[...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`)
  const long = fc.integer({ min: 2_000, max: 70_000 }).map((n) => `/api/conversations/${'1'.repeat(n)}`)
  return fc.oneof(
    { weight: 20, arbitrary: route },
    { weight: 3, arbitrary: traversal },
    { weight: 2, arbitrary: fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)) },
    { weight: 1, arbitrary: rawBytes },
    { weight: 1, arbitrary: encoded },
    { weight: 1, arbitrary: long },
  )
}

const queryKeys = pick('message', 'conversation_id', 'source', 'q', 'limit', 'cursor', 'format', 'token', 'x')
const queryValue = fc.oneof(
  { weight: 4, arbitrary: anyText(30).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?'))) },
  {
    weight: 2,
    arbitrary: pick('hi', 'Where%20is%20my%20parcel%3F', '1', '0', '200', '201', 'json', 'markdown', 'app', 'crm', '', '%', '%zz', '%ff%fe', '+'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30_000, max: 40_000 }).map((n) => 'a'.repeat(n)) },
)
const queryArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 10, arbitrary: fc.array(fc.tuple(queryKeys, queryValue), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
)

interface TokenPart {
  headers: Array<[string, string]>
  query: string
  claim: TokenClaim
}
interface HostPart {
  headers: Array<[string, string]>
  claim: HostClaim
}
interface OriginPart {
  headers: Array<[string, string]>
  claim: OriginClaim
}

const tokenPart = (headers: Array<[string, string]>, query: string, claim: TokenClaim): TokenPart => ({ headers, query, claim })
const hostPart = (headers: Array<[string, string]>, claim: HostClaim): HostPart => ({ headers, claim })

interface Credentials {
  headers: Array<[string, string]>
  query: string
  claims: FuzzRequest['claims']
}

function credentialsArbitrary({ port, token }: RequestContext): fc.Arbitrary<Credentials> {
  const wrongToken = fc
    .oneof(
      {
        weight: 4,
        arbitrary: pick(
          '',
          ' ',
          'null',
          'undefined',
          token.slice(0, -1),
          `${token}x`,
          token.toUpperCase(),
          `${token} ${token}`,
          `"${token}"`,
          encodeURIComponent(`${token}\n`),
        ),
      },
      // Mostly printable: a control character makes the whole request invalid HTTP, refused before any check.
      { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map(withoutControls) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
    )
    .filter((t) => t.trim() !== token)
  const tokenArb: fc.Arbitrary<TokenPart> = fc.oneof(
    { weight: 5, arbitrary: fc.constant(tokenPart([['Authorization', `Bearer ${token}`]], '', 'valid')) },
    { weight: 1, arbitrary: fc.constant(tokenPart([['authorization', `bEaReR   ${token}  `]], '', 'valid')) },
    { weight: 3, arbitrary: fc.constant(tokenPart([], `token=${token}`, 'valid')) },
    // Node keeps the first of duplicate Authorization headers.
    {
      weight: 1,
      arbitrary: wrongToken.map((w) =>
        tokenPart(
          [
            ['Authorization', `Bearer ${token}`],
            ['Authorization', `Bearer ${w}`],
          ],
          '',
          'valid',
        ),
      ),
    },
    { weight: 3, arbitrary: fc.constant(tokenPart([], '', 'refused')) },
    { weight: 3, arbitrary: wrongToken.map((w) => tokenPart([['Authorization', `Bearer ${w}`]], '', 'refused')) },
    { weight: 2, arbitrary: wrongToken.map((w) => tokenPart([], `token=${encodeURIComponent(w)}`, 'refused')) },
    // A wrong header wins over a right query token: the header is what a client meant to present.
    { weight: 1, arbitrary: wrongToken.map((w) => tokenPart([['Authorization', `Bearer ${w}`]], `token=${token}`, 'refused')) },
    { weight: 1, arbitrary: fc.constant(tokenPart([['Authorization', `Basic ${Buffer.from(`user:${token}`).toString('base64')}`]], '', 'refused')) },
    { weight: 1, arbitrary: fc.constant(tokenPart([['Authorization', token]], '', 'refused')) },
    { weight: 1, arbitrary: fc.constant(tokenPart([['Authorization', 'Bearer']], `token=${token}`, 'refused')) },
    {
      weight: 1,
      arbitrary: wrongToken.map((w) =>
        tokenPart(
          [
            ['Authorization', `Bearer ${w}`],
            ['Authorization', `Bearer ${token}`],
          ],
          '',
          'refused',
        ),
      ),
    },
  )
  const hostArb: fc.Arbitrary<HostPart> = fc.oneof(
    {
      weight: 8,
      arbitrary: pick(`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '127.0.0.1', 'LOCALHOST', `LocalHost:${port}`, 'localhost:1').map(
        (h) => hostPart([['Host', h]], 'loopback'),
      ),
    },
    {
      weight: 3,
      arbitrary: pick(
        'evil.example',
        `evil.example:${port}`,
        `127.0.0.1.evil.example:${port}`,
        `localhost.evil.example`,
        'localhost.',
        '127.0.0.2',
        '0.0.0.0',
        '[::ffff:127.0.0.1]',
        '2130706433',
        `127.0.0.1:${port}@evil.example`,
        `evil.example#@127.0.0.1:${port}`,
        '',
        ' ',
        `127.0.0.1:${port}, evil.example`,
      ).map((h) => hostPart([['Host', h]], 'refused')),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((h) => hostPart([['Host', h]], 'refused')) },
    { weight: 1, arbitrary: fc.constant(hostPart([], 'refused')) },
    // Node keeps the first Host of duplicates.
    {
      weight: 1,
      arbitrary: fc.constant(
        hostPart(
          [
            ['Host', 'evil.example'],
            ['Host', `127.0.0.1:${port}`],
          ],
          'refused',
        ),
      ),
    },
  )
  const own = `http://127.0.0.1:${port}`
  const ownOrigins = [own, `http://localhost:${port}`, `http://[::1]:${port}`]
  // Node trims spaces and tabs around a header value, and the server treats an empty Origin as none (browsers never
  // send one empty: an opaque origin is "null"); any other value that is not the server's own is foreign.
  const originClaim = (value: string): OriginClaim =>
    value.replace(/^[ \t]+|[ \t]+$/g, '') === '' || ownOrigins.includes(value.trim()) ? 'none-or-own' : 'refused'
  const originHeader = (value: string): OriginPart => ({ headers: [['Origin', value]], claim: originClaim(value) })
  const originArb: fc.Arbitrary<OriginPart> = fc.oneof(
    { weight: 8, arbitrary: fc.constant<OriginPart>({ headers: [], claim: 'none-or-own' }) },
    { weight: 2, arbitrary: fc.constantFrom(...ownOrigins).map(originHeader) },
    {
      weight: 4,
      arbitrary: pick(
        'https://evil.example',
        'null',
        `http://127.0.0.1:${port + 1}`,
        `${own}/`,
        `HTTP://127.0.0.1:${port}`,
        `https://127.0.0.1:${port}`,
        `http://evil.example:${port}`,
        '*',
        '',
        `${own}, https://evil.example`,
      ).map(originHeader),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(originHeader) },
    // Duplicate Origin headers are joined with ", " by Node, which matches no origin.
    {
      weight: 1,
      arbitrary: fc.constant<OriginPart>({
        headers: [
          ['Origin', own],
          ['Origin', 'https://evil.example'],
        ],
        claim: 'refused',
      }),
    },
  )
  const combine = ({
    token: t,
    host,
    origin,
  }: {
    token: fc.Arbitrary<TokenPart>
    host: fc.Arbitrary<HostPart>
    origin: fc.Arbitrary<OriginPart>
  }): fc.Arbitrary<Credentials> =>
    fc.record({ token: t, host, origin }).map((parts) => ({
      headers: [...parts.host.headers, ...parts.token.headers, ...parts.origin.headers],
      query: parts.token.query,
      claims: { token: parts.token.claim, host: parts.host.claim, origin: parts.origin.claim },
    }))
  // Often everything right, so that the checks behind the guards (routes, ids, bodies) get fuzzed too.
  const valid = <T extends { claim: string }>(arbitrary: fc.Arbitrary<T>, claim: T['claim']): fc.Arbitrary<T> =>
    arbitrary.filter((part) => part.claim === claim)
  return fc.oneof(
    { weight: 2, arbitrary: combine({ token: valid(tokenArb, 'valid'), host: valid(hostArb, 'loopback'), origin: valid(originArb, 'none-or-own') }) },
    { weight: 3, arbitrary: combine({ token: tokenArb, host: hostArb, origin: originArb }) },
  )
}

const jsonText = (value: unknown): Buffer => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')

function bodyArbitrary(ids: number[]): fc.Arbitrary<Buffer> {
  const idValue = fc.oneof(fc.constantFrom(...ids), fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.constant(null))
  const nearValid = fc.oneof(
    fc.record({ message: anyText() }, { requiredKeys: [] }),
    fc.record({ message: anyText(), conversationId: idValue, source: anyText(10) }, { requiredKeys: ['message'] }),
    fc.record({ title: fc.oneof(anyText(), fc.anything()) }, { requiredKeys: [] }),
    fc.record(
      { role: fc.oneof(pick('customer', 'agent', 'assistant_draft', 'system_note'), anyText(8)), text: fc.oneof(anyText(), fc.anything()) },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        model: fc.oneof(pick('gemini-flash-latest', 'models/x'), anyText(10)),
        systemInstruction: anyText(),
        allowedOrigins: fc.array(fc.oneof(pick('https://evil.example', '*'), anyText(12)), { maxLength: 3 }),
        apiKey: fc.oneof(fc.constant(null), anyText(20)),
      },
      { requiredKeys: [] },
    ),
  )
  const withExtra = fc
    .tuple(nearValid, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 2 }))
    .map(([v, extra]) => ({ ...extra, ...v }))
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(Buffer.alloc(0)) },
    { weight: 6, arbitrary: fc.oneof(nearValid, withExtra).map(jsonText) },
    { weight: 3, arbitrary: fc.json().map((s) => Buffer.from(s, 'utf8')) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v).slice(0, -1), 'utf8')) },
    // Invalid UTF-8: random bytes, and JSON with lone continuation bytes inside a string.
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 8 })
        .map((b) => Buffer.concat([Buffer.from('{"message":"'), Buffer.from(b.map((x) => 0x80 | (x & 0x3f))), Buffer.from('"}')])),
    },
    // Huge: over every body limit, and a message just over its character limit.
    { weight: 1, arbitrary: fc.integer({ min: 32_001, max: 33_000 }).map((n) => jsonText({ message: 'x'.repeat(n) })) },
    { weight: 1, arbitrary: fc.integer({ min: 400_000, max: 450_000 }).map((n) => jsonText({ message: 'y'.repeat(n) })) },
  )
}

const headerName = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/).filter((n) => !RESERVED.has(n.toLowerCase()))
const RESERVED = new Set([
  'host',
  'authorization',
  'origin',
  'content-length',
  'transfer-encoding',
  'content-type',
  'connection',
  'expect',
  'last-event-id',
  'upgrade',
])

const otherHeaders = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Array<[string, string]>>([]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.tuple(
            headerName,
            fc.string({ maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, '')),
          ),
        },
        // Any byte, CR, LF and NUL included: header injection and values Node must refuse.
        {
          weight: 1,
          arbitrary: fc.tuple(
            headerName,
            fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('latin1')),
          ),
        },
        { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 10 })) },
        { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 70_000 }).map((n): [string, string] => ['X-Big', 'b'.repeat(n)]) },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  },
)

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | undefined>('application/json') },
  {
    weight: 3,
    arbitrary: pick<string | undefined>(
      undefined,
      'APPLICATION/JSON; charset=utf-8',
      'text/plain',
      'application/jsonx',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
      'application/json;charset=latin1',
    ),
  },
)

const lastEventId = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 20 })).map(([m, s]) => `${m}-${s}`) },
  {
    weight: 1,
    arbitrary: pick<string | undefined>('1-1.1', '1-999999', '0-0', '-1-1', '1-', 'nonsense', '', `${Number.MAX_SAFE_INTEGER}-1`, '1-1.99'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 15 }) },
)

const connection = pick<string | undefined>('close', 'close', 'close', undefined, 'keep-alive', 'Upgrade')

const method = fc.oneof(
  { weight: 20, arbitrary: pick('GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS') },
  { weight: 2, arbitrary: pick('HEAD', 'PUT', 'TRACE', 'get', 'Post', 'PROPFIND', 'SEARCH', 'QUERY') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
)

const framing = fc.oneof(
  { weight: 16, arbitrary: fc.constant<Framing>('length') },
  { weight: 1, arbitrary: pick<Framing>('none', 'short', 'long', 'chunked', 'chunked-broken', 'length-and-chunked', 'length-garbage', 'te-garbage') },
)

export function requestArbitrary(context: RequestContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method,
      path: pathArbitrary(context.ids),
      query: queryArbitrary,
      credentials: credentialsArbitrary(context),
      contentType,
      lastEventId,
      connection,
      expect: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      extra: otherHeaders,
      body: bodyArbitrary(context.ids),
      framing,
      version: fc.oneof(
        { weight: 40, arbitrary: fc.constant('HTTP/1.1') },
        { weight: 1, arbitrary: pick('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'HTTX/1.1', 'http/1.1') },
      ),
      lineEnding: fc.oneof({ weight: 60, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constant('\n') }),
      delivery: fc.oneof(
        { weight: 30, arbitrary: fc.constant({ pieces: 1, trickleMs: 0 }) },
        { weight: 1, arbitrary: fc.record({ pieces: fc.integer({ min: 2, max: 6 }), trickleMs: fc.integer({ min: 1, max: 15 }) }) },
      ),
    })
    .map((r): FuzzRequest => {
      const query = [r.query, r.credentials.query].filter((q) => q.length > 0).join('&')
      const headers: Array<[string, string]> = [...r.credentials.headers]
      if (r.contentType !== undefined) headers.push(['Content-Type', r.contentType])
      if (r.lastEventId !== undefined) headers.push(['Last-Event-ID', r.lastEventId])
      if (r.connection !== undefined) headers.push(['Connection', r.connection])
      if (r.connection === 'Upgrade') headers.push(['Upgrade', 'websocket'])
      if (r.expect) headers.push(['Expect', '100-continue'])
      headers.push(...r.extra)
      return {
        method: r.method,
        target: query ? `${r.path}?${query}` : r.path,
        version: r.version,
        lineEnding: r.lineEnding,
        headers,
        body: r.body,
        framing: r.framing,
        pieces: r.delivery.pieces,
        trickleMs: r.delivery.trickleMs,
        claims: r.credentials.claims,
      }
    })
}

/**
 * The request with `{liveN}` in its target replaced by the id of the n-th existing conversation, so that ids keep
 * naming real transcripts after a served DELETE removed the seeded ones.
 */
export function withLiveIds(request: FuzzRequest, liveIds: readonly number[]): FuzzRequest {
  return { ...request, target: request.target.replace(LIVE_ID, (_, n: string) => String(liveIds[Number(n)] ?? 999_999)) }
}

/** The bytes on the wire: request line, headers, framing headers, body as the framing says. */
export function encodeRequest(request: FuzzRequest): Buffer {
  const { body, framing, lineEnding: eol } = request
  const framingHeaders: Array<[string, string]> = []
  let payload = body
  switch (framing) {
    case 'length':
      if (body.length > 0 || ['POST', 'PATCH', 'PUT'].includes(request.method)) framingHeaders.push(['Content-Length', String(body.length)])
      break
    case 'none':
      break
    case 'short':
      framingHeaders.push(['Content-Length', String(Math.max(0, body.length - 1 - (body.length >> 2)))])
      break
    case 'long':
      framingHeaders.push(['Content-Length', String(body.length + 1 + (body.length >> 1))])
      break
    case 'chunked':
    case 'chunked-broken': {
      framingHeaders.push(['Transfer-Encoding', 'chunked'])
      const size = Math.max(1, body.length >> 1)
      const parts: Buffer[] = []
      for (let at = 0; at < body.length; at += size) {
        const chunk = body.subarray(at, at + size)
        const declared = framing === 'chunked-broken' && at === 0 ? 'zz' : chunk.length.toString(16)
        parts.push(Buffer.from(`${declared}\r\n`), chunk, Buffer.from('\r\n'))
      }
      parts.push(Buffer.from(framing === 'chunked-broken' && body.length === 0 ? '-1\r\n\r\n' : '0\r\n\r\n'))
      payload = Buffer.concat(parts)
      break
    }
    case 'length-and-chunked':
      framingHeaders.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked'])
      break
    case 'length-garbage':
      framingHeaders.push(['Content-Length', body.length % 2 === 0 ? `${body.length}, ${body.length + 1}` : `-${body.length}`])
      break
    case 'te-garbage':
      framingHeaders.push(['Transfer-Encoding', body.length % 2 === 0 ? 'gzip' : 'chunked, identity'])
      break
  }
  const head = [
    `${request.method} ${request.target} ${request.version}`,
    ...[...request.headers, ...framingHeaders].map(([n, v]) => `${n}: ${v}`),
  ].join(eol)
  return Buffer.concat([Buffer.from(`${head}${eol}${eol}`, 'latin1'), payload])
}

/** Splits bytes into `n` pieces at evenly spread offsets (trickled delivery). */
export function splitPieces(bytes: Buffer, n: number): Buffer[] {
  if (n <= 1 || bytes.length < 2) return [bytes]
  const pieces: Buffer[] = []
  const size = Math.ceil(bytes.length / n)
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size))
  return pieces
}
