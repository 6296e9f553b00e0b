// The React console while a long draft streams: the real built renderer (out/renderer) served by the real
// core in web mode, the Gemini emulator sending a 20,000-character Markdown reply at 200 chunks per second,
// and Debian's Chromium showing it. Measures what an agent would feel: main-thread tasks over 50 ms
// (the Long Tasks API), the longest task of the renderer's main thread (from a Chromium trace), frames, and
// how long the text took to appear from its first chunk to its last.
//
// Part of `npm run bench` (bench/run.ts); also runs alone: `node --import tsx bench/renderer-stream.ts`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { CDPSession, Page } from 'playwright'
import { buildIfStale } from '../scripts/app-build'
import { builtWebConsole, PROJECT_ROOT } from '../src/main/core/cli/web-console'
import { loadSettings } from '../src/main/core/config/settings'
import { startCore, type SupportConsoleCore } from '../src/main/core/support-console'
import { GeminiEmulator } from '../test/emulator/gemini-emulator'
import { launchChromium } from '../test/helpers/chromium'
import { fixed, int, ms, renderTable } from './table'

export const REPLY_CHARS = 20_000
export const CHUNKS_PER_SECOND = 200
const CHUNK_INTERVAL_MS = 1000 / CHUNKS_PER_SECOND
const API_KEY = 'bench-renderer-key'
const TOKEN = 'bench-renderer-token-0123456789'
/** After the draft ends, how long its last work (final render, transcript reload) is still counted. */
const SETTLE_MS = 500
const RUN_LIMIT_MS = 60_000

/** The runs, in order, in one page: the first meets a cold page (JIT, first Markdown parse), the rest a warm one. */
const RUNS: readonly { chunkChars: number; label: string }[] = [
  { chunkChars: 100, label: 'cold page' },
  { chunkChars: 100, label: 'warm' },
  { chunkChars: 100, label: 'warm' },
  { chunkChars: 25, label: 'warm' },
  { chunkChars: 25, label: 'warm' },
]

export interface RendererStreamRun {
  label: string
  chunkChars: number
  chunks: number
  /** Chunks per second as they reached the core (the emulator's timers are not exact). */
  arrivedPerSecond: number
  /** First chunk → last chunk at the core: what the screen could at best match. */
  arrivalSpanMs: number
  /** First text on screen → the whole text on screen. */
  firstToLastShownMs: number
  /** How many different texts the preview showed on the way (at most one per frame by design). */
  updatesShown: number
  /** Long Tasks API: main-thread tasks over 50 ms, from the click on "Draft reply" to SETTLE_MS after the end. */
  longTasks: number[]
  /** The renderer main thread's longest task in the same span, from a Chromium trace (any length). */
  longestTaskMs: number
  /** Tasks of the renderer main thread over 16.7 ms (one frame at 60 Hz) in the trace. */
  tasksOverFrame: number
  /** Frames (requestAnimationFrame callbacks) between the first and the last text shown. */
  frames: number
  meanFrameMs: number
  maxFrameMs: number
}

export interface RendererStreamResult {
  runs: RendererStreamRun[]
  chromium: string
  replyChars: number
  markdown: MarkdownShape
}

export interface MarkdownShape {
  headings: number
  codeBlocks: number
  links: number
  listItems: number
}

// ---------------------------------------------------------------------------------------------------------
// The reply

const WORDS = (
  'thanks for your patience while we looked into the order the parcel left our warehouse on monday and the carrier ' +
  'shows it at the regional depot we have asked them to prioritise it and you will get a tracking update by email ' +
  'if anything changes we will refund the shipping cost in full and you do not need to return anything'
).split(' ')

/** Deterministic words: the same reply on every run and machine. */
function words(count: number, seed: number): string {
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(WORDS[(seed * 7 + i * 3) % WORDS.length] as string)
  return out.join(' ')
}

/**
 * A support answer of exactly `chars` characters of Markdown with what the console renders: headings,
 * paragraphs with bold, inline code and links, bulleted and numbered lists, and fenced code blocks.
 */
export function markdownReply(chars = REPLY_CHARS): { text: string; shape: MarkdownShape } {
  const shape: MarkdownShape = { headings: 0, codeBlocks: 0, links: 0, listItems: 0 }
  const parts: string[] = []
  let length = 0
  const add = (part: string): void => {
    parts.push(part)
    length += part.length
  }
  for (let section = 1; length < chars - 1_500; section++) {
    add(`## Step ${section}: ${words(4, section)}\n\n`)
    shape.headings++
    add(
      `${words(30, section)} **${words(3, section + 1)}** and \`order-${1000 + section}\`. See [the help page](https://help.example.com/orders/${section}) for ${words(12, section + 2)}.\n\n`,
    )
    shape.links++
    for (let item = 1; item <= 4; item++) {
      add(`- ${words(10, section + item)}\n`)
      shape.listItems++
    }
    add('\n')
    for (let item = 1; item <= 3; item++) {
      add(`${item}. ${words(8, section * item)} [details](https://help.example.com/steps/${section}-${item})\n`)
      shape.listItems++
      shape.links++
    }
    add('\n')
    if (section % 2 === 0) {
      add(
        `\`\`\`ts\nconst refund = await payments.refund({ order: 'order-${1000 + section}', amount: ${section * 3}.50 })\nconsole.log(refund.status) // ${words(5, section)}\n\`\`\`\n\n`,
      )
      shape.codeBlocks++
    }
    add(`> ${words(16, section + 3)}\n\n`)
  }
  // The last paragraph fills the reply to its exact length.
  let tail = `Kind regards, the support team. ${words(400, 99)}`
  tail = tail.slice(0, chars - length - 1).trimEnd()
  tail = `${tail}${'.'.repeat(chars - length - tail.length)}`
  add(tail)
  const text = parts.join('')
  if (text.length !== chars) throw new Error(`the benchmark reply is ${text.length} characters, not ${chars}`)
  return { text, shape }
}

export function chunksOf(text: string, size: number): string[] {
  const chunks: string[] = []
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size))
  return chunks
}

// ---------------------------------------------------------------------------------------------------------
// In the page

// Installed before the console's own scripts (addInitScript is not subject to the page's CSP). Long tasks
// are buffered from the page's start and filtered to each run's span afterwards; frames are timestamps of
// requestAnimationFrame, which a busy main thread delays.
const INSTRUMENTATION = `(() => {
  const bench = (window.__bench = { longTasks: [], frames: [], samples: [], recording: false })
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  const frame = (t) => {
    if (bench.recording) bench.frames.push(t)
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  let last = -1
  // The preview's text length at each DOM change (React commits at most once per frame while streaming).
  new MutationObserver(() => {
    if (!bench.recording) return
    const preview = document.querySelector('[data-testid="draft-preview"]')
    const length = preview ? preview.textContent.length : 0
    if (length !== last) {
      last = length
      bench.samples.push({ t: performance.now(), length })
    }
  }).observe(document, { subtree: true, childList: true, characterData: true })
})()`

interface PageRecord {
  longTasks: { start: number; duration: number }[]
  frames: number[]
  samples: { t: number; length: number }[]
  startedAt: number
  endedAt: number
}

interface TraceEvent {
  name?: string
  ph?: string
  pid?: number
  tid?: number
  dur?: number
  args?: { name?: string }
}

/** Chromium's trace of top-level tasks, read through the DevTools protocol. */
async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', '__metadata'], recordMode: 'recordAsMuchAsPossible' },
    transferMode: 'ReturnAsStream',
  })
  return async () => {
    const complete = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (event) => resolve(event.stream ?? '')))
    await cdp.send('Tracing.end')
    const stream = await complete
    let json = ''
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream })
      json += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data
      if (chunk.eof) break
    }
    await cdp.send('IO.close', { handle: stream })
    const parsed = JSON.parse(json) as { traceEvents?: TraceEvent[] } | TraceEvent[]
    return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? [])
  }
}

/** A top-level task in the trace: "RunTask" in older Chromium, "ThreadControllerImpl::RunTask" since Perfetto. */
const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask'])

/** Durations (ms) of the top-level tasks of the busiest renderer main thread in the trace: the page's. */
function rendererMainTasks(events: TraceEvent[]): number[] {
  const mainThreads = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  )
  const byThread = new Map<string, number[]>()
  for (const e of events) {
    if (e.ph !== 'X' || !TASK_EVENTS.has(e.name ?? '') || e.dur === undefined) continue
    const thread = `${e.pid}:${e.tid}`
    if (!mainThreads.has(thread)) continue
    let list = byThread.get(thread)
    if (!list) byThread.set(thread, (list = []))
    list.push(e.dur / 1000)
  }
  let busiest: number[] = []
  let busiestTotal = -1
  for (const list of byThread.values()) {
    const total = list.reduce((a, b) => a + b, 0)
    if (total > busiestTotal) [busiest, busiestTotal] = [list, total]
  }
  return busiest
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = RUN_LIMIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`renderer bench: timed out waiting for ${what}`)
    // Rarely: polling the page is work on its main thread too.
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function measureRun(
  page: Page,
  core: SupportConsoleCore,
  emulator: GeminiEmulator,
  conversationId: number,
  reply: string,
  run: (typeof RUNS)[number],
): Promise<RendererStreamRun> {
  const chunks = chunksOf(reply, run.chunkChars)
  emulator.enqueue({ chunks, delayMs: CHUNK_INTERVAL_MS })
  const arrivals: number[] = []
  const unsubscribe = core.api.onConversationEvents(conversationId, (e) => {
    if (e.event.type === 'delta') arrivals.push(performance.now())
  })
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`).click()
  await page.locator(`[data-testid="conversation-view"][data-conversation-id="${conversationId}"]`).waitFor()
  const panel = page.getByTestId('draft-panel')
  const cdp = await page.context().newCDPSession(page)
  try {
    const stopTrace = await startTrace(cdp)
    await page.evaluate('(() => { const b = window.__bench; b.frames = []; b.samples = []; b.recording = true; b.startedAt = performance.now() })()')
    await page.getByTestId('draft-button').click()
    await until(async () => (await panel.getAttribute('data-status')) === 'complete', 'the draft to complete')
    await page.evaluate(`(() => { window.__bench.endedAt = performance.now() })()`)
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
    await page.evaluate('(() => { window.__bench.recording = false })()')
    const tasks = rendererMainTasks(await stopTrace())
    const record = (await page.evaluate('window.__bench')) as PageRecord

    const saved = core.store
      .getMessages(conversationId)
      .filter((m) => m.role === 'assistant_draft')
      .at(-1)
    if (saved?.text !== reply) throw new Error('renderer bench: the saved draft is not the reply that was sent')
    if (arrivals.length !== chunks.length) throw new Error(`renderer bench: ${arrivals.length} of ${chunks.length} chunks reached the core`)

    const finalLength = record.samples.at(-1)?.length ?? 0
    const first = record.samples.find((s) => s.length > 0)
    const last = record.samples.find((s) => s.length === finalLength)
    if (!first || !last || finalLength === 0) throw new Error('renderer bench: the draft never showed on screen')
    const frames = record.frames.filter((t) => t >= first.t && t <= last.t)
    const intervals = frames.slice(1).map((t, i) => t - (frames[i] as number))
    const spanEnd = record.endedAt + SETTLE_MS
    return {
      label: run.label,
      chunkChars: run.chunkChars,
      chunks: chunks.length,
      arrivedPerSecond: (arrivals.length - 1) / (((arrivals.at(-1) as number) - (arrivals[0] as number)) / 1000),
      arrivalSpanMs: (arrivals.at(-1) as number) - (arrivals[0] as number),
      firstToLastShownMs: last.t - first.t,
      updatesShown: record.samples.filter((s) => s.length > 0 && s.t <= last.t).length,
      longTasks: record.longTasks.filter((task) => task.start >= record.startedAt && task.start <= spanEnd).map((task) => task.duration),
      longestTaskMs: Math.max(0, ...tasks),
      tasksOverFrame: tasks.filter((d) => d > 1000 / 60).length,
      frames: frames.length,
      meanFrameMs: intervals.length > 0 ? intervals.reduce((a, b) => a + b, 0) / intervals.length : Number.NaN,
      maxFrameMs: intervals.length > 0 ? Math.max(...intervals) : Number.NaN,
    }
  } finally {
    unsubscribe()
    await cdp.detach().catch(() => undefined)
  }
}

/** Counts what the rendered reply holds, to be sure the figures are for the whole Markdown, rendered. */
async function renderedShape(page: Page): Promise<MarkdownShape> {
  return (await page.evaluate(`(() => {
    const preview = document.querySelector('[data-testid="draft-preview"]')
    return {
      headings: preview.querySelectorAll('h2').length,
      codeBlocks: preview.querySelectorAll('pre code').length,
      links: preview.querySelectorAll('a[href^="https://help.example.com/"]').length,
      listItems: preview.querySelectorAll('li').length,
    }
  })()`)) as MarkdownShape
}

const stderrProgress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`)
}

/** out/renderer, built first when missing or older than its sources. */
export function ensureWebConsoleBuilt(progress: (line: string) => void = stderrProgress): string {
  buildIfStale(PROJECT_ROOT, 'web', progress)
  const dir = builtWebConsole()
  if (!dir) throw new Error('renderer bench: the build left no out/renderer/index.html')
  return dir
}

export async function runRendererStreamBench(progress: (line: string) => void = stderrProgress): Promise<RendererStreamResult> {
  const webConsoleDir = ensureWebConsoleBuilt(progress)
  const { text: reply, shape } = markdownReply()

  const dataDir = mkdtempSync(join(tmpdir(), 'sc-bench-renderer-'))
  const emulator = await GeminiEmulator.start({ apiKey: API_KEY, host: '127.0.0.1' })
  let core: SupportConsoleCore | undefined
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined
  try {
    const settings = loadSettings({
      SUPPORT_CONSOLE_DATA_DIR: dataDir,
      SUPPORT_CONSOLE_PORT: '0',
      SUPPORT_CONSOLE_TOKEN: TOKEN,
      GEMINI_API_KEY: API_KEY,
      GEMINI_BASE_URL: emulator.url,
    })
    core = await startCore({ settings, webConsoleDir })
    // One conversation per run, made before the page loads so the list shows them all; newest first.
    const conversations: number[] = []
    for (let i = 0; i < RUNS.length; i++) {
      const { id } = await core.api.createConversation({ title: `Renderer benchmark ${i + 1}` })
      await core.api.addCustomerMessage(id, 'Can you walk me through what happens with my delayed order, step by step?')
      conversations.push(id)
    }

    browser = await launchChromium()
    const page = await browser.newPage()
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.addInitScript(INSTRUMENTATION)
    await page.goto(`${core.server.url}/#token=${encodeURIComponent(TOKEN)}`)
    await page.getByTestId('conversation-item').first().waitFor({ timeout: RUN_LIMIT_MS })

    const runs: RendererStreamRun[] = []
    for (const [i, run] of RUNS.entries()) {
      progress(
        `renderer: ${REPLY_CHARS.toLocaleString('en-US')} characters of Markdown in ${run.chunkChars}-character chunks at ${CHUNKS_PER_SECOND}/s (${run.label})`,
      )
      const result = await measureRun(page, core, emulator, conversations[i] as number, reply, run)
      const rendered = await renderedShape(page)
      if (JSON.stringify(rendered) !== JSON.stringify(shape)) {
        throw new Error(`renderer bench: the rendered reply has ${JSON.stringify(rendered)}, expected ${JSON.stringify(shape)}`)
      }
      runs.push(result)
    }
    const cdp = await page.context().newCDPSession(page)
    const { product } = await cdp.send('Browser.getVersion')
    await cdp.detach()
    return { runs, chromium: `${product} (${browser.executablePath})`, replyChars: REPLY_CHARS, markdown: shape }
  } finally {
    await browser?.close()
    await core?.close()
    await emulator.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export function renderRendererStreamSection(result: RendererStreamResult, number = 6): string {
  const { markdown } = result
  return [
    `## ${number}. The console while a long draft streams (Chromium)`,
    '',
    `A ${int(result.replyChars)}-character Markdown reply (${markdown.headings} headings, ${markdown.listItems} list items, ${markdown.codeBlocks} code blocks,`,
    `${markdown.links} links, paragraphs and quotes) streamed by the emulator at ${CHUNKS_PER_SECOND} chunks per second, through the real core in`,
    'web mode (SQLite, SDK, SSE as JSON events) into the built React console in headless Chromium (software rendering, 1280×800),',
    'started with a click on "Draft reply". Runs follow one another in one page; the first meets a cold page. Emulator and core',
    'share one Node process; Chromium runs beside them on the same 2 cores.',
    "*arrived/s*: chunks per second as they reached the core (the emulator's timers make it a little under the nominal rate);",
    '*arrived ms*: first chunk → last chunk at the core. *shown ms*: first text on screen → the whole text on screen (page clock);',
    'about *arrived ms* means the screen kept up with the stream. *updates*: distinct texts the preview showed (the console renders at most',
    `once a frame). *tasks > 50 ms*: Long Tasks API entries (PerformanceObserver, buffered) from the click to ${SETTLE_MS} ms after the`,
    "end. *longest task* and *tasks > 16.7 ms* (longer than a 60 Hz frame): top-level tasks of the page's renderer main thread in",
    'a Chromium trace (category toplevel, recording during every run) over the same span. *frames*: requestAnimationFrame',
    'callbacks between the first and the last text shown; a frame of 33 ms is one missed vsync.',
    '',
    renderTable(
      [
        { header: 'run' },
        { header: 'chunk chars', align: 'right' },
        { header: 'chunks', align: 'right' },
        { header: 'arrived/s', align: 'right' },
        { header: 'arrived ms', align: 'right' },
        { header: 'shown ms', align: 'right' },
        { header: 'updates', align: 'right' },
        { header: 'longest task ms', align: 'right' },
        { header: 'tasks > 50 ms', align: 'right' },
        { header: '> 50 ms per 1,000 chunks', align: 'right' },
        { header: 'longest > 50 ms (Long Tasks API)', align: 'right' },
        { header: 'tasks > 16.7 ms', align: 'right' },
        { header: 'frames', align: 'right' },
        { header: 'mean frame ms', align: 'right' },
        { header: 'max frame ms', align: 'right' },
      ],
      result.runs.map((run) => [
        run.label,
        int(run.chunkChars),
        int(run.chunks),
        int(run.arrivedPerSecond),
        ms(run.arrivalSpanMs),
        ms(run.firstToLastShownMs),
        int(run.updatesShown),
        ms(run.longestTaskMs),
        int(run.longTasks.length),
        fixed((run.longTasks.length / run.chunks) * 1000, 1),
        run.longTasks.length > 0 ? ms(Math.max(...run.longTasks)) : 'none',
        int(run.tasksOverFrame),
        int(run.frames),
        ms(run.meanFrameMs),
        ms(run.maxFrameMs),
      ]),
    ),
    '',
    `Browser: ${result.chromium}.`,
  ].join('\n')
}

// Alone: `node --import tsx bench/renderer-stream.ts`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRendererStreamBench()
    .then((result) => console.log(renderRendererStreamSection(result)))
    .catch((error: unknown) => {
      console.error('renderer bench failed:', error)
      process.exit(1)
    })
}
