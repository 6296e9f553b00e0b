// The review features on a big archive (issue 9): generates 100,000 conversations / 1,000,000 messages (or with
// --small, 10,000 / 100,000) in a temp folder, then measures filtered search (several filter combinations, with and
// without full-text search, CJK included), list paging, export throughput and peak memory, statistics, a backup,
// and the database's and its indexes' sizes.
//
//   node --import tsx bench/archive.ts [--small] [--keep] [--generate-only]
//
// The archive is written with raw inserts (one transaction per batch, prepared statements) into a database the
// store created, so every trigger of the real schema (FTS5, CJK trigram index, conversation summaries) runs as it
// would for real data. The text follows a Zipf-like word distribution, so there are common and rare words to search.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'
import Database from 'better-sqlite3'
import type { ConversationFilter } from '../src/shared/review'
import { writeBulkExport } from '../src/main/core/api/export-bulk'
import { TranscriptStore } from '../src/main/core/store/transcript-store'
import { percentileSorted } from './stats'

const small = process.argv.includes('--small')
const keep = process.argv.includes('--keep')
const CONVERSATIONS = small ? 10_000 : 100_000
const MESSAGES_PER_CONVERSATION = 10
const BATCH = 2_000
const DAY = 86_400_000
const END = Date.parse('2026-11-01T00:00:00.000Z')
const START = END - 365 * DAY

// A deterministic generator (mulberry32), so two runs measure the same archive.
let seed = 42
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
function weighted<T>(items: readonly (readonly [T, number])[]): T {
  let r = random()
  for (const [item, weight] of items) {
    r -= weight
    if (r < 0) return item
  }
  return (items[items.length - 1] as readonly [T, number])[0]
}

// 3,000 made-up words plus some real support words; word i is drawn with weight ~ 1/(i+1).
const SUPPORT = ['refund', 'parcel', 'invoice', 'delivery', 'account', 'password', 'order', 'shipping', 'broken', 'warranty']
const WORDS = [...SUPPORT, ...Array.from({ length: 3_000 }, (_, i) => `w${i.toString(36)}x${(i * 7919).toString(36).slice(-3)}`)]
const ZIPF = (() => {
  const cumulative: number[] = []
  let total = 0
  for (let i = 0; i < WORDS.length; i++) cumulative.push((total += 1 / (i + 1)))
  return cumulative.map((c) => c / total)
})()
function word(): string {
  const r = random()
  let lo = 0
  let hi = ZIPF.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((ZIPF[mid] as number) < r) lo = mid + 1
    else hi = mid
  }
  return WORDS[lo] as string
}
const sentence = (min: number, max: number): string => Array.from({ length: min + Math.floor(random() * (max - min)) }, word).join(' ')
const CJK = [
  '我要申请退款，订单还没有到。',
  '包裹什么时候能送到？谢谢',
  '注文した商品がまだ届きません。返金をお願いします。',
  '환불을 요청합니다. 주문 번호는 12345입니다.',
  '发票上的金额不对，请帮我看一下。',
]

const MODELS = [
  ['gemini-2.5-flash', 0.7],
  ['gemini-2.5-pro', 0.25],
  ['gemini-2.0-flash-lite', 0.05],
] as const
const OUTCOMES = [
  ['complete', 0.85],
  ['stopped', 0.05],
  ['error', 0.04],
  ['truncated', 0.03],
  ['interrupted', 0.02],
  ['blocked', 0.01],
] as const
const SOURCES = [
  ['app', 0.8],
  ['helpdesk', 0.15],
  ['crm', 0.05],
] as const
const DOCS = Array.from({ length: 50 }, (_, i) => `docs/article-${i}.md`)
const TAGS = Array.from({ length: 20 }, (_, i) => `tag-${i}`)

function generate(file: string): { messages: number; seconds: number } {
  TranscriptStore.open(file).close()
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const tagIds = TAGS.map((name) =>
    Number(db.prepare("INSERT INTO tags (name, color, created_at) VALUES (?, 'blue', ?)").run(name, new Date(START).toISOString()).lastInsertRowid),
  )
  const insertConversation = db.prepare('INSERT INTO conversations (uid, title, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
  const insertMessage = db.prepare(`
    INSERT INTO messages (conversation_id, role, text, status, source, model, prompt_tokens, output_tokens, total_tokens,
      first_token_ms, duration_ms, finish_reason, kind, feedback_rating, feedback_at, created_at, updated_at)
    VALUES (@c, @role, @text, @status, @source, @model, @p, @o, @t, @ft, @d, @fr, 'reply', @rating, @ratedAt, @at, @at)`)
  const insertSource = db.prepare(
    "INSERT INTO draft_sources (message_id, n, passage_id, path, title, heading, text) VALUES (?, ?, ?, ?, ?, '[]', 'passage')",
  )
  const insertUse = db.prepare('INSERT INTO reply_uses (agent_message_id, draft_id, edit_distance, similarity) VALUES (?, ?, ?, ?)')
  const tag = db.prepare('INSERT OR IGNORE INTO conversation_tags (tag_id, conversation_id) VALUES (?, ?)')
  const started = performance.now()
  let messages = 0
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      let t = START + Math.floor((i / CONVERSATIONS) * (END - START - DAY))
      const source = weighted(SOURCES)
      const cjk = random() < 0.03
      const text = (min: number, max: number): string => (cjk ? `${pick(CJK)} ${sentence(2, 6)}` : sentence(min, max))
      const at = (): string => new Date((t += 30_000 + Math.floor(random() * 120_000))).toISOString()
      const created = new Date(t).toISOString()
      const c = Number(insertConversation.run(crypto.randomUUID(), sentence(3, 6), source, created, created).lastInsertRowid)
      let lastDraft: { id: number; complete: boolean } | undefined
      for (let m = 0; m < MESSAGES_PER_CONVERSATION; m++) {
        const role = m % 3 === 0 ? 'customer' : m % 3 === 1 ? 'assistant_draft' : random() < 0.6 ? 'agent' : 'assistant_draft'
        const when = at()
        if (role === 'assistant_draft') {
          const status = weighted(OUTCOMES)
          const rated = random()
          const values = {
            c,
            role,
            text: status === 'blocked' ? '' : text(30, 90),
            status,
            source,
            model: weighted(MODELS),
            p: 800 + Math.floor(random() * 1500),
            o: 50 + Math.floor(random() * 400),
            t: 0,
            ft: status === 'error' || status === 'blocked' ? null : 250 + Math.floor(random() * random() * 3000),
            d: 2000 + Math.floor(random() * 8000),
            fr: status === 'truncated' ? 'MAX_TOKENS' : status === 'complete' ? 'STOP' : null,
            rating: rated < 0.07 ? 'up' : rated < 0.1 ? 'down' : null,
            ratedAt: rated < 0.1 ? when : null,
            at: when,
          }
          values.t = values.p + values.o
          const id = Number(insertMessage.run(values).lastInsertRowid)
          if (random() < 0.5) for (let n = 1; n <= 1 + Math.floor(random() * 3); n++) insertSource.run(id, n, n, pick(DOCS), 'Article')
          lastDraft = { id, complete: status === 'complete' }
        } else {
          const id = Number(
            insertMessage.run({
              c,
              role,
              text: text(8, 40),
              status: 'complete',
              source,
              model: null,
              p: null,
              o: null,
              t: null,
              ft: null,
              d: null,
              fr: null,
              rating: null,
              ratedAt: null,
              at: when,
            }).lastInsertRowid,
          )
          if (role === 'agent' && lastDraft?.complete) {
            const distance = Math.floor(random() * random() * 200)
            insertUse.run(id, lastDraft.id, distance, Math.max(0, Math.round((1 - distance / 400) * 1000) / 1000))
            lastDraft = undefined
          }
        }
        messages++
      }
      db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?').run(new Date(t).toISOString(), c)
      if (random() < 0.1) tag.run(pick(tagIds), c)
      if (random() < 0.02) tag.run(pick(tagIds), c)
    }
  })
  for (let from = 0; from < CONVERSATIONS; from += BATCH) {
    batch(from, Math.min(CONVERSATIONS, from + BATCH))
    if ((from / BATCH) % 10 === 9) process.stderr.write(`  generated ${from + BATCH} conversations\n`)
  }
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.exec('ANALYZE')
  db.close()
  return { messages, seconds: (performance.now() - started) / 1000 }
}

function time<T>(run: () => T): [T, number] {
  const started = performance.now()
  const value = run()
  return [value, performance.now() - started]
}

function latencies(runs: number, run: (i: number) => unknown): { p50: number; p95: number; max: number } {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) samples.push(time(() => run(i))[1])
  const sorted = Float64Array.from(samples).sort()
  return { p50: percentileSorted(sorted, 50), p95: percentileSorted(sorted, 95), max: sorted[sorted.length - 1] as number }
}

const ms = (n: number): string => `${n.toFixed(1)} ms`
const mb = (n: number): string => `${(n / 1_048_576).toFixed(1)} MiB`

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-archive-'))
  const file = join(dir, 'transcripts.db')
  try {
    console.log(
      `archive: ${CONVERSATIONS.toLocaleString('en')} conversations × ${MESSAGES_PER_CONVERSATION} messages${small ? ' (--small)' : ''}, in ${dir}`,
    )
    const generated = generate(file)
    console.log(
      `generated ${generated.messages.toLocaleString('en')} messages in ${generated.seconds.toFixed(1)} s (with every trigger of the schema)\n`,
    )
    if (process.argv.includes('--generate-only')) return

    const store = TranscriptStore.open(file)
    const tags = store.tags.list()
    const recent = new Date(END - 30 * DAY).toISOString().slice(0, 10)
    const combos: [string, (i: number) => ConversationFilter][] = [
      ['status=error', () => ({ status: ['error'] })],
      ['status=blocked (rare)', () => ({ status: ['blocked'] })],
      ['model=gemini-2.0-flash-lite', () => ({ model: ['gemini-2.0-flash-lite'] })],
      ['feedback=down, last 30 days', () => ({ feedback: ['down'], from: recent })],
      ['tag (one of 20)', (i) => ({ tag: [(tags[i % tags.length] as { id: number }).id] })],
      ['usedReply=false & source=crm', () => ({ usedReply: false, source: ['crm'] })],
      [
        'all fields at once',
        (i) => ({
          status: ['stopped', 'truncated'],
          source: ['app'],
          feedback: ['none'],
          model: ['gemini-2.5-pro'],
          usedReply: true,
          from: `2026-0${1 + (i % 9)}-01`,
        }),
      ],
      ['q common word ("refund")', () => ({ q: 'refund' })],
      ['q 2 words, prefix', (i) => ({ q: `${WORDS[20 + (i % 50)]} ${(WORDS[60 + (i % 50)] as string).slice(0, 4)}` })],
      ['q rare word', (i) => ({ q: WORDS[2_000 + i] as string })],
      ['q + status=error + source=helpdesk', () => ({ q: 'invoice', status: ['error'], source: ['helpdesk'] })],
      ['q CJK 4+ chars (trigram)', (i) => ({ q: ['申请退款', '商品がまだ', '환불을 요청', '发票上的金额'][i % 4] as string })],
      ['q CJK 2 chars (LIKE)', (i) => ({ q: ['退款', '包裹', '返金', '환불'][i % 4] as string })],
      ['q CJK + status=error', () => ({ q: '申请退款', status: ['error'] })],
    ]
    console.log('filtered search, first page of 50 (100 runs each):')
    console.log('  combination                                 p50        p95        max     rows')
    for (const [name, filter] of combos) {
      const rows = store.listConversations({ ...filter(0), limit: 50 }).conversations.length
      const l = latencies(100, (i) => store.listConversations({ ...filter(i), limit: 50 }))
      console.log(`  ${name.padEnd(40)} ${ms(l.p50).padStart(10)} ${ms(l.p95).padStart(10)} ${ms(l.max).padStart(10)} ${String(rows).padStart(8)}`)
    }

    const pages = (filter: ConversationFilter): number[] => {
      const samples: number[] = []
      let cursor: string | undefined
      for (let n = 0; n < 40; n++) {
        const [page, elapsed] = time(() => store.listConversations({ ...filter, limit: 50, cursor }))
        samples.push(elapsed)
        if (!page.nextCursor) break
        cursor = page.nextCursor
      }
      return samples.sort((a, b) => a - b)
    }
    for (const [name, filter] of [
      ['no filter', {}],
      ['status=error', { status: ['error'] }],
      ['q="refund"', { q: 'refund' }],
    ] as [string, ConversationFilter][]) {
      const s = pages(filter)
      console.log(`list paging, 40 pages of 50, ${name}: p50 ${ms(percentileSorted(s, 50))}, p95 ${ms(percentileSorted(s, 95))}`)
    }

    console.log('\nstatistics:')
    for (const [name, filter] of [
      ['whole archive', {}],
      ['last 30 days', { from: recent }],
      ['source=helpdesk, model=gemini-2.5-pro', { source: ['helpdesk'], model: ['gemini-2.5-pro'] }],
    ] as [string, ConversationFilter][]) {
      const l = latencies(5, () => store.statistics.compute(filter))
      console.log(`  ${name.padEnd(40)} p50 ${ms(l.p50)}, max ${ms(l.max)}`)
    }

    console.log('\nexport of the whole archive (to a file):')
    for (const format of ['json', 'csv', 'markdown'] as const) {
      global.gc?.()
      const baseline = process.memoryUsage().rss
      let peak = baseline
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
      const out = createWriteStream(join(dir, `export.${format}`))
      const started = performance.now()
      const progress = await writeBulkExport(store, { filter: {} }, format, out)
      out.end()
      await finished(out)
      const seconds = (performance.now() - started) / 1000
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage().rss)
      console.log(
        `  ${format.padEnd(9)} ${Math.round(progress.messagesDone / seconds).toLocaleString('en')} messages/s (${seconds.toFixed(1)} s, ${mb(progress.bytesWritten)}), peak RSS ${mb(peak)} (+${mb(peak - baseline)} over the ${mb(baseline)} before)`,
      )
      rmSync(join(dir, `export.${format}`), { force: true })
    }

    const backupFile = join(dir, 'backup.db')
    const started = performance.now()
    await store.backupTo(backupFile)
    console.log(`\nbackup (online backup API): ${((performance.now() - started) / 1000).toFixed(2)} s, ${mb(statSync(backupFile).size)}`)
    rmSync(backupFile, { force: true })
    store.close()

    const db = new Database(file, { readonly: true })
    const sizes = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as {
      name: string
      bytes: number
    }[]
    const total = statSync(file).size
    const sum = (prefix: string): number => sizes.filter((s) => s.name.startsWith(prefix)).reduce((n, s) => n + s.bytes, 0)
    const cjkMessages = db.prepare('SELECT count(*) FROM messages_cjk').pluck().get() as number
    db.close()
    console.log(`\ndatabase file: ${mb(total)}`)
    for (const s of sizes.slice(0, 16)) console.log(`  ${s.name.padEnd(36)} ${mb(s.bytes).padStart(12)}`)
    console.log(`full-text index (unicode61, messages_fts*): ${mb(sum('messages_fts'))}`)
    console.log(
      `CJK trigram index (messages_trigram*): ${mb(sum('messages_trigram'))} for ${cjkMessages.toLocaleString('en')} messages with CJK text (${((cjkMessages / generated.messages) * 100).toFixed(1)}% of all), ${((sum('messages_trigram') / total) * 100).toFixed(1)}% of the file`,
    )
  } finally {
    if (keep) console.log(`kept ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

await main()
