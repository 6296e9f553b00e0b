// `npm run soak [-- --minutes N] [-- --concurrency N]`: steady streaming against `npm run serve` for a long time
// (default 10 minutes, 50 drafts at once), to find what short tests cannot: leaks, slow drift, the rare broken
// stream. Each of N clients starts a draft over GET /chat/stream, checks it, and starts the next. Every stream
// must arrive whole and in order: `meta` first, event ids of that message with rising sequence numbers, exactly
// the text the emulator sent, then `usage`, `end` (complete) and `[DONE]`. Not part of `npm test` or CI: it takes
// minutes. Progress goes to stderr; the report (markdown tables) to stdout.
//
// Memory, and what "back to its starting level" means here. A warm-up at the same concurrency first fills what the
// server keeps on purpose and within bounds: the finished drafts kept for resuming (stream-hub.ts: at most
// retainCount / retainBytes, for retainMs), SQLite's page cache, compiled code, connection pools. The baseline is
// taken after it, settled and after a full GC (serve runs with --expose-gc and reports on SIGUSR2, see serve.ts).
// After the load and the same settling, the JS heap in use plus external memory (where anything the app keeps lives:
// objects, Buffers) must be within --heap-tolerance-mb of that baseline, the drafts kept for resuming within their
// caps, and the resident memory within --rss-tolerance-mb of the warm-up's level (its peak, or the baseline if
// higher). RSS does not fall back as the heap does: V8 keeps emptied pages committed (heap total) and malloc keeps
// freed memory for reuse, for as long as they choose, sized by the load's peak, not its length. A leak grows with
// the number of drafts; those do not. Measured runs are in the README (Soak).
// Exits 1 when a stream went wrong, a draft was not saved complete, or memory did not come back.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { DATABASE_FILE } from '../src/main/core/config/settings'
import { DEFAULT_RETENTION } from '../src/main/core/streaming/stream-hub'
import { GeminiEmulator, type ScriptedReply } from '../test/emulator/gemini-emulator'
import { startServe, type ServeProcess } from '../test/helpers/serve-process'
import { isDone, openSse, type ReceivedEvent } from '../test/helpers/sse-client'
import { fixed, int, ms, renderTable } from './table'

const TOKEN = 'soak-token-0123456789abcdef'
const API_KEY = 'soak-key'
/** A reply: 30 chunks 30 ms apart, about a second of streaming, so the concurrency stays steady. */
const CHUNKS = 30
const CHUNK_DELAY_MS = 30
const RSS_SAMPLE_MS = 1_000
/** A stream that has not ended by then counts as an error (and its connection is dropped). */
const STREAM_LIMIT_MS = 30_000

interface Options {
  minutes: number
  concurrency: number
  warmupSeconds: number
  settleSeconds: number
  rssToleranceMb: number
  heapToleranceMb: number
  keep: boolean
}

const USAGE =
  'usage: npm run soak -- [--minutes 10] [--concurrency 50] [--warmup-seconds 20] [--settle-seconds 30] ' +
  '[--rss-tolerance-mb 32] [--heap-tolerance-mb 4] [--keep]'

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '50' },
      'warmup-seconds': { type: 'string', default: '20' },
      'settle-seconds': { type: 'string', default: '30' },
      'rss-tolerance-mb': { type: 'string', default: '32' },
      'heap-tolerance-mb': { type: 'string', default: '4' },
      keep: { type: 'boolean', default: false },
    },
  })
  const number = (name: string, value: string, min: number): number => {
    const n = Number(value)
    if (!Number.isFinite(n) || n < min) {
      console.error(`--${name} must be a number ≥ ${min}, got "${value}"\n${USAGE}`)
      process.exit(2)
    }
    return n
  }
  return {
    minutes: number('minutes', values.minutes, 0.1),
    concurrency: Math.round(number('concurrency', values.concurrency, 1)),
    warmupSeconds: number('warmup-seconds', values['warmup-seconds'], 0),
    settleSeconds: number('settle-seconds', values['settle-seconds'], 0),
    rssToleranceMb: number('rss-tolerance-mb', values['rss-tolerance-mb'], 0),
    heapToleranceMb: number('heap-tolerance-mb', values['heap-tolerance-mb'], 0),
    keep: values.keep,
  }
}

// Distinct chunks per message, so a lost, repeated or reordered chunk changes the text.
const chunksFor = (message: string): string[] => Array.from({ length: CHUNKS }, (_, i) => `${message}/${i} `)
const replyFor = (message: string): ScriptedReply => ({ chunks: chunksFor(message), delayMs: CHUNK_DELAY_MS })

/** Resident set size of another process, in bytes: /proc on Linux, ps elsewhere (macOS). */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1]
    if (kib) return Number(kib) * 1024
  } catch {
    // No /proc: fall through to ps.
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024
}

/**
 * The anonymous part of the resident memory (the heap, malloc's arenas, SQLite's page cache; not the mapped code and
 * libraries), in bytes; NaN where there is no /proc.
 */
function anonymousRssOf(pid: number): number {
  try {
    const kib = /^RssAnon:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kib ? Number(kib) * 1024 : NaN
  } catch {
    return NaN
  }
}

type Problem = 'http' | 'connection' | 'no meta' | 'ids' | 'text' | 'no usage' | 'not complete' | 'no [DONE]' | 'after [DONE]' | 'timeout'

interface Tally {
  drafts: number
  chunks: number
  problems: Map<Problem, number>
  examples: string[]
  durations: number[]
}

/** Checks one stream's events; the problems it finds (none for a good stream). */
function checkStream(events: ReceivedEvent[], expectedText: string): Problem[] {
  const problems = new Set<Problem>()
  const meta = events[0]
  if (meta?.event !== 'meta') return ['no meta']
  const { messageId } = JSON.parse(meta.data) as { messageId: number }
  // Ids are `<messageId>-<seq>`, or `<messageId>-<seq>.<piece>` for the earlier frames of an event sent as
  // several (error + end + [DONE], text split around a `[DONE]` line): the plain id comes last in its event.
  let last: [number, number] = [0, 0]
  let text = ''
  let sawUsage = false
  let sawComplete = false
  const doneAt = events.findIndex(isDone)
  for (const [i, e] of events.entries()) {
    const match = /^(\d+)-(\d+)(?:\.(\d+))?$/.exec(e.id ?? '')
    const position: [number, number] = [Number(match?.[2]), match?.[3] === undefined ? Infinity : Number(match[3])]
    const after = position[0] > last[0] || (position[0] === last[0] && position[1] > last[1])
    if (!match || Number(match[1]) !== messageId || !after) problems.add('ids')
    else last = position
    if (doneAt >= 0 && i > doneAt) problems.add('after [DONE]')
    if (e.event === 'message' && !isDone(e)) text += e.data
    if (e.event === 'usage') sawUsage = true
    if (e.event === 'end') sawComplete = (JSON.parse(e.data) as { status?: string }).status === 'complete'
  }
  if (text !== expectedText) problems.add('text')
  if (!sawUsage) problems.add('no usage')
  if (!sawComplete) problems.add('not complete')
  if (doneAt < 0) problems.add('no [DONE]')
  return [...problems]
}

async function oneDraft(serve: ServeProcess, message: string, tally: Tally): Promise<void> {
  const started = performance.now()
  const note = (problem: Problem, detail: string): void => {
    tally.problems.set(problem, (tally.problems.get(problem) ?? 0) + 1)
    if (tally.examples.length < 10) tally.examples.push(`${message}: ${problem} (${detail})`)
  }
  let stream: Awaited<ReturnType<typeof openSse>>
  try {
    stream = await openSse(`${serve.url}/chat/stream?message=${encodeURIComponent(message)}&token=${TOKEN}`)
  } catch (error) {
    note('connection', (error as Error).message)
    return
  }
  if (stream.response.status !== 200) {
    note('http', `status ${stream.response.status}: ${await stream.response.text().catch(() => '')}`)
    return
  }
  const limit = setTimeout(() => {
    note('timeout', `no end within ${STREAM_LIMIT_MS} ms`)
    stream.close()
  }, STREAM_LIMIT_MS)
  const events: ReceivedEvent[] = []
  for (let e = await stream.next(); e; e = await stream.next()) events.push(e)
  clearTimeout(limit)
  const problems = checkStream(events, chunksFor(message).join(''))
  const detail = `${events.length} events, ids ${events.map((e) => e.id ?? '∅').join(' ')}`.slice(0, 300)
  for (const problem of problems) note(problem, detail)
  tally.drafts++
  tally.chunks += events.filter((e) => e.event === 'message' && !isDone(e)).length
  if (problems.length === 0) tally.durations.push(performance.now() - started)
}

const mb = (bytes: number): string => fixed(bytes / 1024 / 1024, 1)
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

/** What serve.ts prints on SIGUSR2 when SUPPORT_CONSOLE_MEMORY_REPORT=1, after a full garbage collection. */
interface MemoryReport {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  arrayBuffers: number
  liveDrafts: number
  retainedDrafts: number
  retainedBytes: number
  /** Measured from outside, just after the report: anonymousRssOf. */
  anonymous: number
}

const REPORT_LINE = /^memory-report (\{.*\})$/gm

/** Asks the serve process for a memory report (it collects garbage first) and waits for the line it prints. */
async function memoryReport(serve: ServeProcess): Promise<MemoryReport> {
  const seen = [...serve.output().matchAll(REPORT_LINE)].length
  process.kill(serve.pid, 'SIGUSR2')
  const deadline = Date.now() + 10_000
  for (;;) {
    const lines = [...serve.output().matchAll(REPORT_LINE)]
    if (lines.length > seen) return { ...(JSON.parse(lines.at(-1)?.[1] ?? '{}') as MemoryReport), anonymous: anonymousRssOf(serve.pid) }
    if (Date.now() > deadline) throw new Error('the serve process printed no memory report within 10 s (is SUPPORT_CONSOLE_MEMORY_REPORT=1 set?)')
    await sleep(50)
  }
}

/** Runs `concurrency` clients back to back until `seconds` have passed; returns the seconds it took. */
async function runLoad(serve: ServeProcess, seconds: number, concurrency: number, tally: Tally, label: string): Promise<number> {
  const started = performance.now()
  const deadline = started + seconds * 1000
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) await oneDraft(serve, `${label}${worker}-d${next++}`, tally)
    }),
  )
  return (performance.now() - started) / 1000
}

const newTally = (): Tally => ({ drafts: 0, chunks: 0, problems: new Map(), examples: [], durations: [] })
const errorCount = (tally: Tally): number => [...tally.problems.values()].reduce((a, b) => a + b, 0)

async function main(): Promise<void> {
  const options = parseOptions()
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-soak-'))
  const emulator = await GeminiEmulator.start({ apiKey: API_KEY })
  emulator.setDefaultReply((request) => replyFor(request.lastUserText))
  const serve = await startServe(
    {
      SUPPORT_CONSOLE_DATA_DIR: dataDir,
      SUPPORT_CONSOLE_TOKEN: TOKEN,
      GEMINI_API_KEY: API_KEY,
      GEMINI_BASE_URL: emulator.url,
      SUPPORT_CONSOLE_MEMORY_REPORT: '1',
    },
    20_000,
    // So that each memory report is taken after a full collection: what is still reachable, not garbage yet to go.
    ['--expose-gc'],
  )
  console.error(`[soak] serve pid ${serve.pid} at ${serve.url}, data folder ${dataDir}`)
  console.error(`[soak] ${options.minutes} min of ${options.concurrency} drafts at once (${CHUNKS} chunks ${CHUNK_DELAY_MS} ms apart each)`)
  // The emulator records every request for tests; over minutes that would only grow this process.
  const forgetRequests = setInterval(() => (emulator.requests.length = 0), 5_000)

  await sleep(2_000)
  const cold = await memoryReport(serve)
  // The warm-up fills what a running server keeps by design and at a bound: the drafts kept for resuming (stream-hub.ts,
  // capped by count and bytes), SQLite's page cache, the JIT's code, the HTTP agents' pools. The baseline is taken after
  // it, so what the soak then measures is what the long run added beyond those bounds.
  const warmTally = newTally()
  console.error(`[soak] warm-up: ${options.warmupSeconds} s at the same concurrency`)
  let warmPeak = cold.rss
  const warmSampler = setInterval(() => (warmPeak = Math.max(warmPeak, rssOf(serve.pid))), RSS_SAMPLE_MS)
  await runLoad(serve, options.warmupSeconds, options.concurrency, warmTally, 'warm')
  clearInterval(warmSampler)
  await sleep(options.settleSeconds * 1000)
  const warm = await memoryReport(serve)
  console.error(`[soak] warm baseline: RSS ${mb(warm.rss)} MB, heap ${mb(warm.heapUsed)} MB, ${warm.retainedDrafts} drafts kept for resuming`)

  let rssPeak = warm.rss
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(serve.pid))), RSS_SAMPLE_MS)
  const tally = newTally()
  const loadStarted = performance.now()
  const progress = setInterval(() => {
    const elapsed = (performance.now() - loadStarted) / 1000
    console.error(
      `[soak] ${fixed(elapsed / 60, 1)} min: ${int(tally.drafts)} drafts, ${errorCount(tally)} errors, serve RSS ${mb(rssOf(serve.pid))} MB`,
    )
  }, 15_000)
  const loadSeconds = await runLoad(serve, options.minutes * 60, options.concurrency, tally, 'w')
  clearInterval(progress)
  clearInterval(sampler)
  const rssEnd = rssOf(serve.pid)
  console.error(`[soak] load stopped; waiting ${options.settleSeconds} s before the last memory sample`)
  await sleep(options.settleSeconds * 1000)
  const after = await memoryReport(serve)
  clearInterval(forgetRequests)

  await serve.stop('SIGTERM')
  const { code } = await serve.exited
  await emulator.close()

  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true })
  const integrity = db.pragma('quick_check', { simple: true }) as string
  const statuses = db
    .prepare<[], { status: string; n: number }>("SELECT status, count(*) AS n FROM messages WHERE role = 'assistant_draft' GROUP BY status")
    .all()
  db.close()
  if (!options.keep) rmSync(dataDir, { recursive: true, force: true })

  const errors = errorCount(tally) + errorCount(warmTally)
  const sorted = [...tally.durations].sort((a, b) => a - b)
  const savedComplete = statuses.find((s) => s.status === 'complete')?.n ?? 0
  const savedOther =
    statuses
      .filter((s) => s.status !== 'complete')
      .map((s) => `${s.status} ${s.n}`)
      .join(', ') || 'none'

  console.log(`## Soak: ${fixed(loadSeconds / 60, 1)} min at ${options.concurrency} concurrent drafts\n`)
  console.log(
    renderTable(
      [
        { header: 'drafts', align: 'right' },
        { header: 'drafts/s', align: 'right' },
        { header: 'text chunks', align: 'right' },
        { header: 'errors', align: 'right' },
        { header: 'draft p50 ms', align: 'right' },
        { header: 'draft p99 ms', align: 'right' },
        { header: 'draft max ms', align: 'right' },
        { header: 'saved complete', align: 'right' },
        { header: 'saved otherwise' },
        { header: 'quick_check' },
        { header: 'serve exit' },
      ],
      [
        [
          int(tally.drafts),
          fixed(tally.drafts / loadSeconds, 1),
          int(tally.chunks),
          int(errors),
          ms(percentile(sorted, 50)),
          ms(percentile(sorted, 99)),
          ms(sorted.at(-1) ?? NaN),
          int(savedComplete),
          savedOther,
          integrity,
          String(code),
        ],
      ],
    ),
  )
  console.log('')
  const row = (label: string, r: MemoryReport): string[] => [
    label,
    mb(r.rss),
    mb(r.anonymous),
    mb(r.heapTotal),
    mb(r.heapUsed),
    mb(r.external),
    int(r.retainedDrafts),
    mb(r.retainedBytes),
  ]
  const rssOnly = (label: string, rss: number): string[] => [label, mb(rss), '–', '–', '–', '–', '–', '–']
  console.log(
    renderTable(
      [
        { header: 'serve memory' },
        { header: 'RSS MB', align: 'right' },
        { header: 'anon MB', align: 'right' },
        { header: 'heap total MB', align: 'right' },
        { header: 'heap used MB', align: 'right' },
        { header: 'external MB', align: 'right' },
        { header: 'kept for resume', align: 'right' },
        { header: 'their est. MB', align: 'right' },
      ],
      [
        row('cold (after start-up, GC)', cold),
        rssOnly(`warm-up peak (${options.warmupSeconds} s at the same concurrency)`, warmPeak),
        row(`before: warm baseline (${options.settleSeconds} s after the warm-up, GC)`, warm),
        rssOnly(`peak (sampled every ${RSS_SAMPLE_MS / 1000} s under load)`, rssPeak),
        rssOnly('when the load stopped', rssEnd),
        row(`after (${options.settleSeconds} s idle, GC)`, after),
      ],
    ),
  )
  // Whether V8 and malloc hand emptied pages back within the settling time is up to them (the same build measured a warm
  // baseline of 115 MB in one run and 175 MB in another), so RSS is held to the higher of the warm baseline and the
  // warm-up's peak: the long run must leave the process no larger than the same load's first seconds already made it.
  const rssReference = Math.max(warm.rss, warmPeak)
  const rssGrowth = after.rss - rssReference
  // External memory (Buffers and other memory V8 objects hold outside the heap) counts with the heap: a leaked Buffer
  // or socket shows there, as precisely as a leaked object shows in the heap.
  const heapGrowth = after.heapUsed + after.external - (warm.heapUsed + warm.external)
  const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${mb(bytes)}`
  const withinCaps = after.retainedDrafts <= DEFAULT_RETENTION.retainCount && after.retainedBytes <= DEFAULT_RETENTION.retainBytes
  const memoryBack = rssGrowth <= options.rssToleranceMb * 2 ** 20 && heapGrowth <= options.heapToleranceMb * 2 ** 20 && withinCaps
  console.log(
    `\nAfter vs the warm baseline: heap used + external ${signed(heapGrowth)} MB (allowed +${options.heapToleranceMb}), ` +
      `RSS ${signed(after.rss - warm.rss)} MB, and ${signed(rssGrowth)} MB over the higher of the baseline and the warm-up peak ` +
      `(allowed +${options.rssToleranceMb}), ` +
      `${after.retainedDrafts} drafts kept for resuming (cap ${DEFAULT_RETENTION.retainCount}): ` +
      `${memoryBack ? 'memory is back to its starting level' : 'memory is NOT back to its starting level'}`,
  )
  if (errors > 0) {
    console.log('')
    const problems = new Map(tally.problems)
    for (const [problem, n] of warmTally.problems) problems.set(problem, (problems.get(problem) ?? 0) + n)
    console.log(
      renderTable(
        [{ header: 'problem' }, { header: 'streams', align: 'right' }],
        [...problems].map(([problem, n]) => [problem, int(n)]),
      ),
    )
    console.log(`\nFirst problems:\n${[...warmTally.examples, ...tally.examples].map((e) => `- ${e}`).join('\n')}`)
  }
  const drafted = tally.drafts + warmTally.drafts
  const failed = errors > 0 || integrity !== 'ok' || savedComplete !== drafted || code !== 0 || !memoryBack
  process.exit(failed ? 1 : 0)
}

main().catch((error: unknown) => {
  console.error('soak failed:', error)
  process.exit(1)
})
