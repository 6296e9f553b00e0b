// `npm run soak [-- --minutes N] [-- --concurrency N]`: steady streaming against `npm run serve` for a long time
// (default 10 minutes, 50 drafts at once), to find what short tests cannot: leaks, slow drift, the rare broken
// stream. Each of N clients starts a draft over GET /chat/stream, checks it, and starts the next. Every stream
// must arrive whole and in order: `meta` first, event ids of that message with rising sequence numbers, exactly
// the text the emulator sent, then `usage`, `end` (complete) and `[DONE]`. The serve process's resident memory
// is sampled before, during (peak) and a while after the load. Not part of `npm test` or CI: it takes minutes.
// Progress goes to stderr; the report (markdown tables) to stdout. Exits 1 when any stream went wrong.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { DATABASE_FILE } from '../src/main/core/config/settings'
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
  settleSeconds: number
  keep: boolean
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '50' },
      'settle-seconds': { type: 'string', default: '30' },
      keep: { type: 'boolean', default: false },
    },
  })
  const number = (name: string, value: string, min: number): number => {
    const n = Number(value)
    if (!Number.isFinite(n) || n < min) {
      console.error(
        `--${name} must be a number ≥ ${min}, got "${value}"\nusage: npm run soak -- [--minutes 10] [--concurrency 50] [--settle-seconds 30] [--keep]`,
      )
      process.exit(2)
    }
    return n
  }
  return {
    minutes: number('minutes', values.minutes, 0.1),
    concurrency: Math.round(number('concurrency', values.concurrency, 1)),
    settleSeconds: number('settle-seconds', values['settle-seconds'], 0),
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

async function main(): Promise<void> {
  const options = parseOptions()
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-soak-'))
  const emulator = await GeminiEmulator.start({ apiKey: API_KEY })
  emulator.setDefaultReply((request) => replyFor(request.lastUserText))
  const serve = await startServe({
    SUPPORT_CONSOLE_DATA_DIR: dataDir,
    SUPPORT_CONSOLE_TOKEN: TOKEN,
    GEMINI_API_KEY: API_KEY,
    GEMINI_BASE_URL: emulator.url,
  })
  console.error(`[soak] serve pid ${serve.pid} at ${serve.url}, data folder ${dataDir}`)
  console.error(`[soak] ${options.minutes} min of ${options.concurrency} drafts at once (${CHUNKS} chunks ${CHUNK_DELAY_MS} ms apart each)`)

  await sleep(2_000)
  const rssBefore = rssOf(serve.pid)
  let rssPeak = rssBefore
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(serve.pid))), RSS_SAMPLE_MS)

  const tally: Tally = { drafts: 0, chunks: 0, problems: new Map(), examples: [], durations: [] }
  const loadStarted = performance.now()
  const deadline = loadStarted + options.minutes * 60_000
  let next = 0
  const progress = setInterval(() => {
    // The emulator records every request for tests; over minutes that would only grow this process.
    emulator.requests.length = 0
    const errors = [...tally.problems.values()].reduce((a, b) => a + b, 0)
    const elapsed = (performance.now() - loadStarted) / 1000
    console.error(`[soak] ${fixed(elapsed / 60, 1)} min: ${int(tally.drafts)} drafts, ${errors} errors, serve RSS ${mb(rssOf(serve.pid))} MB`)
  }, 15_000)
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      while (performance.now() < deadline) await oneDraft(serve, `w${worker}-d${next++}`, tally)
    }),
  )
  const loadSeconds = (performance.now() - loadStarted) / 1000
  clearInterval(progress)
  clearInterval(sampler)
  const rssEnd = rssOf(serve.pid)
  console.error(`[soak] load stopped; waiting ${options.settleSeconds} s before the last memory sample`)
  await sleep(options.settleSeconds * 1000)
  const rssAfter = rssOf(serve.pid)

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

  const errors = [...tally.problems.values()].reduce((a, b) => a + b, 0)
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
  console.log(
    renderTable(
      [{ header: 'serve RSS' }, { header: 'MB', align: 'right' }],
      [
        ['before (idle, after start-up)', mb(rssBefore)],
        [`peak (sampled every ${RSS_SAMPLE_MS / 1000} s under load)`, mb(rssPeak)],
        ['when the load stopped', mb(rssEnd)],
        [`after (${options.settleSeconds} s idle)`, mb(rssAfter)],
      ],
    ),
  )
  if (errors > 0) {
    console.log('')
    console.log(
      renderTable(
        [{ header: 'problem' }, { header: 'streams', align: 'right' }],
        [...tally.problems].map(([problem, n]) => [problem, int(n)]),
      ),
    )
    console.log(`\nFirst problems:\n${tally.examples.map((e) => `- ${e}`).join('\n')}`)
  }
  const failed = errors > 0 || integrity !== 'ok' || savedComplete !== tally.drafts || code !== 0
  process.exit(failed ? 1 : 0)
}

main().catch((error: unknown) => {
  console.error('soak failed:', error)
  process.exit(1)
})
