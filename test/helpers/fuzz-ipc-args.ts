// fast-check arbitraries for IPC calls: a channel (whatever channels main registered) and an argument list. The
// arguments know nothing of any channel's schema, so the fuzz keeps working when the contract changes: they are
// drawn from values the API's methods take (ids of conversations that exist, titles, texts at and over their
// limits, export formats, list queries, settings and key objects) mixed, mutated and padded with fc.anything().
import fc from 'fast-check'

/** One argument: a value, or the id of the n-th conversation that exists when the call is made. */
export type FuzzArg = { live: number } | { value: unknown }

export interface FuzzCall {
  channel: string
  args: FuzzArg[]
  /** Who sends it: a window of ours, or one of the senders main must refuse. */
  sender: 'trusted' | 'unknown-window' | 'foreign-origin' | 'subframe'
}

const text = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength }))

/** Values around the edges of every limit the API has. */
const edgeStrings = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\n\t ',
    'markdown',
    'json',
    'pdf',
    'MARKDOWN',
    'read',
    'export',
    'gemini-flash-latest',
    'https://helpdesk.example.com',
    '__proto__',
    'constructor',
  ),
  fc.constantFrom(200, 201, 500, 501, 32_000, 32_001, 64_000, 64_001).map((n) => 'x'.repeat(n)),
  // Shaped like an opaque id (16 hex digits) without being one that exists.
  fc.stringMatching(/^[a-f0-9]{16}$/),
)

const numbers = fc.oneof(
  fc.integer(),
  fc.constantFrom(
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
  ),
  fc.double(),
  fc.bigInt(),
)

const anything = fc.anything({
  maxDepth: 3,
  maxKeys: 4,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBigInt: true,
})

/** Objects shaped like the API's inputs, with values that are right, wrong, or extra keys beside them. */
const shapedObjects = fc.oneof(
  fc.record({ title: fc.oneof(text(), edgeStrings, anything) }, { requiredKeys: [] }),
  fc.record(
    { q: fc.oneof(text(), edgeStrings, anything), limit: fc.oneof(numbers, text(4)), cursor: fc.oneof(text(), anything) },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      model: fc.oneof(fc.constantFrom('gemini-flash-latest', 'models/x', '../x'), text(10)),
      systemInstruction: fc.oneof(text(), edgeStrings),
      allowedOrigins: fc.oneof(
        fc.array(fc.oneof(fc.constantFrom('https://helpdesk.example.com', '*', 'null'), text(12)), { maxLength: 3 }),
        anything,
      ),
      apiKey: fc.oneof(fc.constant(null), text(20), edgeStrings),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      name: fc.oneof(text(), edgeStrings),
      scopes: fc.oneof(fc.array(fc.constantFrom('stream', 'read', 'export', 'write', 'admin', ''), { maxLength: 3 }), anything),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(
    fc.oneof(fc.constantFrom('title', 'q', 'limit', 'cursor', 'model', 'apiKey', 'name', 'scopes', '__proto__', 'constructor'), text(6)),
    anything,
    { maxKeys: 3 },
  ),
)

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: text() },
  { weight: 2, arbitrary: edgeStrings },
  { weight: 2, arbitrary: numbers },
  { weight: 3, arbitrary: shapedObjects },
  { weight: 2, arbitrary: anything },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, [], {}) },
)

const arg: fc.Arbitrary<FuzzArg> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 }).map((live) => ({ live })) },
  { weight: 6, arbitrary: value.map((v) => ({ value: v })) },
)

export function callArbitrary(channels: readonly string[]): fc.Arbitrary<FuzzCall> {
  return fc.record({
    channel: fc.constantFrom(...channels),
    // Mostly the lengths methods take (0 to 2), sometimes more: extra arguments must be refused too.
    args: fc.oneof(
      { weight: 8, arbitrary: fc.array(arg, { maxLength: 2 }) },
      { weight: 1, arbitrary: fc.array(arg, { minLength: 3, maxLength: 5 }) },
    ),
    sender: fc.oneof(
      { weight: 12, arbitrary: fc.constant('trusted' as const) },
      { weight: 1, arbitrary: fc.constantFrom('unknown-window' as const, 'foreign-origin' as const, 'subframe' as const) },
    ),
  })
}

/** The arguments as sent: live ids resolved against the conversations that exist now. */
export function materialize(args: readonly FuzzArg[], liveIds: readonly number[]): unknown[] {
  return args.map((a) => ('live' in a ? (liveIds[a.live] ?? 999_999) : a.value))
}
