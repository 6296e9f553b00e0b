// Retrieval quality and speed of the knowledge base. Quality: hit@1 and hit@3 on the labelled questions in
// test/fixtures/retrieval-questions.json (a hit is a passage of the expected document under the expected heading),
// first over the labelled documents alone, then with ~10,000 filler passages around them. Speed: retrieval
// latency p50/p95 over that 10,000-passage base. Ablation rows switch the retrieval ideas on one at a time, so
// each shows what it is worth; the last row is what the console uses (DEFAULT_TUNING).
//
//   node --import tsx bench/retrieval.ts
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import { Indexer } from '../src/main/core/knowledge/indexer'
import { KnowledgeIndex } from '../src/main/core/knowledge/knowledge-index'
import { DEFAULT_TUNING, retrieve, type RetrievalTuning, type RetrievalTurn } from '../src/main/core/knowledge/retrieve'
import { fixed, ms, renderTable } from './table'

const root = join(fileURLToPath(import.meta.url), '..', '..')
export const KNOWLEDGE_FIXTURES = join(root, 'test', 'fixtures', 'knowledge-base')
const QUESTIONS_FILE = join(root, 'test', 'fixtures', 'retrieval-questions.json')

const questionsSchema = z.object({ questions: z.array(z.object({ q: z.string(), document: z.string(), heading: z.string() })) })
export type LabelledQuestion = z.infer<typeof questionsSchema>['questions'][number]

export const loadQuestions = (): LabelledQuestion[] => questionsSchema.parse(JSON.parse(readFileSync(QUESTIONS_FILE, 'utf8'))).questions

export interface HitRates {
  hit1: number
  hit3: number
  /** Questions with no hit in the top 3, for reading what went wrong. */
  misses: LabelledQuestion[]
}

type Input = string | readonly RetrievalTurn[]

/** hit@1 and hit@3 of `tuning` over the questions (each asked as `toInput` makes it). */
export function hitRates(
  index: KnowledgeIndex,
  questions: readonly LabelledQuestion[],
  tuning: RetrievalTuning,
  toInput: (q: LabelledQuestion, i: number) => Input = (q) => q.q,
): HitRates {
  let hit1 = 0
  let hit3 = 0
  const misses: LabelledQuestion[] = []
  questions.forEach((question, i) => {
    const found = retrieve(index, toInput(question, i), { limit: 3 }, tuning)
    const rank = found.findIndex((p) => p.documentPath === question.document && p.headingPath.at(-1) === question.heading)
    if (rank === 0) hit1++
    if (rank >= 0) hit3++
    else misses.push(question)
  })
  return { hit1: hit1 / questions.length, hit3: hit3 / questions.length, misses }
}

/** The retrieval ideas, switched on one after another; the last is DEFAULT_TUNING. */
export function ablations(): Array<{ name: string; tuning: RetrievalTuning; stemming: boolean }> {
  const flat = { title: 1, headings: 1, body: 1 }
  const base: RetrievalTuning = { ...DEFAULT_TUNING, weights: flat, query: { operator: 'and', stopWords: false, synonyms: false, prefix: false } }
  const or = { ...base, query: { ...base.query, operator: 'or' as const } }
  const stop = { ...or, query: { ...or.query, stopWords: true } }
  const synonyms = { ...stop, query: { ...stop.query, synonyms: true } }
  const weighted = { ...synonyms, weights: DEFAULT_TUNING.weights }
  const prefix = { ...weighted, query: { ...weighted.query, prefix: true } }
  return [
    { name: 'plain FTS, AND of all words', tuning: base, stemming: false },
    { name: 'OR instead of AND', tuning: or, stemming: false },
    { name: '+ stemming (porter)', tuning: or, stemming: true },
    { name: '+ stop words dropped', tuning: stop, stemming: true },
    { name: '+ support synonyms', tuning: synonyms, stemming: true },
    { name: '+ heading weight (title 2, headings 4, body 1)', tuning: weighted, stemming: true },
    { name: '(tried) + prefix match, words of 6+ letters', tuning: prefix, stemming: true },
  ]
}

// ---- the filler: synthetic support text around the labelled documents ---------------------------------------

/** A small deterministic PRNG (mulberry32), so every run indexes the same filler. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FILLER_TOPICS = [
  'Kayak',
  'Climbing harness',
  'Ski jacket',
  'Trail shoes',
  'Camping stove',
  'Hydration pack',
  'Bike helmet',
  'Snowshoes',
  'Fleece',
  'Rain cover',
  'Hammock',
  'Water filter',
  'Headlamp',
  'Dry bag',
  'Insulated bottle',
  'Compass',
  'Gaiters',
]
const FILLER_HEADINGS = [
  'Overview',
  'Materials',
  'Fit and sizing',
  'Care',
  'Storage',
  'Known issues',
  'Spare parts',
  'Questions from customers',
  'Ordering',
  'Availability',
  'Technical data',
  'Safety notes',
  'Accessories',
  'Troubleshooting',
  'Service',
]

/**
 * Markov text (word bigrams) learnt from the labelled documents: it shares their vocabulary, so filler passages
 * compete for the same words the way a real knowledge base's other documents do, without repeating any answer.
 */
function markov(corpus: string, next: () => number): (words: number) => string {
  const tokens = corpus
    .replace(/[#*<>|]/g, ' ')
    .split(/\s+/)
    .filter((w) => /^[\p{L}\p{N}][\p{L}\p{N}.,'-]*$/u.test(w))
  const follow = new Map<string, string[]>()
  for (let i = 0; i + 1 < tokens.length; i++) {
    const list = follow.get(tokens[i] as string) ?? []
    list.push(tokens[i + 1] as string)
    follow.set(tokens[i] as string, list)
  }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  return (count) => {
    let word = pick(tokens)
    const out = [word[0]?.toUpperCase() + word.slice(1)]
    for (let i = 1; i < count; i++) {
      word = pick(follow.get(word) ?? tokens)
      out.push(word)
    }
    return `${out.join(' ').replace(/[.,]$/, '')}.`
  }
}

/** Writes filler Markdown documents into `folder` until about `passages` passages exist; returns how many. */
export function writeFiller(folder: string, passages: number, seed = 42): number {
  const next = random(seed)
  const corpus = readFixtureTexts().join('\n')
  const sentence = markov(corpus, next)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  let written = 0
  for (let doc = 0; written < passages; doc++) {
    const topic = `${pick(FILLER_TOPICS)} ${String.fromCharCode(65 + (doc % 26))}${doc}`
    const lines = [`# ${topic}`, '']
    const sections = 8 + Math.floor(next() * 5)
    for (let s = 0; s < sections && written < passages; s++, written++) {
      lines.push(`## ${pick(FILLER_HEADINGS)}`)
      const sentences = 2 + Math.floor(next() * 5)
      lines.push(Array.from({ length: sentences }, () => sentence(8 + Math.floor(next() * 14))).join(' '), '')
    }
    const dir = join(folder, 'filler', String(Math.floor(doc / 100)))
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `doc-${doc}.md`), lines.join('\n'))
  }
  return written
}

function readFixtureTexts(): string[] {
  const texts: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.(md|txt|html)$/.test(entry.name)) texts.push(readFileSync(path, 'utf8').replace(/<[^>]+>/g, ' '))
    }
  }
  walk(KNOWLEDGE_FIXTURES)
  return texts
}

// ---- the run ----------------------------------------------------------------------------------------------

/** Builds an index of `folder` (stemmed or not) in `dataDir` and returns it with how long the scan took. */
export async function buildIndex(folder: string, file: string, stemming: boolean): Promise<{ index: KnowledgeIndex; passages: number; ms: number }> {
  const index = new KnowledgeIndex(file, folder, { stemming })
  const started = performance.now()
  await new Indexer({ folder, index }).scan()
  return { index, passages: index.counts().passages, ms: performance.now() - started }
}

const percent = (value: number): string => `${fixed(value * 100, 0)}%`

export interface RetrievalBenchResult {
  markdown: string
  /** The default tuning on the 10,000-passage base. */
  hit1: number
  hit3: number
  p50: number
  p95: number
}

export async function runRetrievalBench(log: (line: string) => void = (line) => console.error(line)): Promise<RetrievalBenchResult> {
  const questions = loadQuestions()
  const work = mkdtempSync(join(tmpdir(), 'retrieval-bench-'))
  try {
    const small = join(work, 'labelled')
    const big = join(work, 'big')
    cpSync(KNOWLEDGE_FIXTURES, small, { recursive: true })
    cpSync(KNOWLEDGE_FIXTURES, big, { recursive: true })
    const labelledPassages = (await buildIndex(small, join(work, 'probe.db'), true)).passages
    const filler = writeFiller(big, 10_000 - labelledPassages)
    log(`retrieval bench: ${questions.length} questions, ${labelledPassages} labelled passages + ${filler} filler passages`)

    const indexes = new Map<string, KnowledgeIndex>()
    let indexing = ''
    for (const stemming of [true, false]) {
      for (const [name, folder] of [
        ['small', small],
        ['big', big],
      ] as const) {
        const built = await buildIndex(folder, join(work, `${name}-${stemming ? 'porter' : 'plain'}.db`), stemming)
        indexes.set(`${name}-${stemming}`, built.index)
        if (name === 'big' && stemming) indexing = `${built.passages.toLocaleString('en-US')} passages indexed in ${ms(built.ms)} ms`
      }
    }
    log(`retrieval bench: ${indexing}`)

    const rows: string[][] = []
    for (const { name, tuning, stemming } of ablations()) {
      const labelled = hitRates(indexes.get(`small-${stemming}`) as KnowledgeIndex, questions, tuning)
      const withFiller = hitRates(indexes.get(`big-${stemming}`) as KnowledgeIndex, questions, tuning)
      rows.push([name, percent(labelled.hit1), percent(labelled.hit3), percent(withFiller.hit1), percent(withFiller.hit3)])
    }

    const bigIndex = indexes.get('big-true') as KnowledgeIndex
    const best = hitRates(bigIndex, questions, DEFAULT_TUNING)
    // Conversations: an earlier customer message about something else, then the labelled question. Weighting the
    // latest message most should keep the answer to the latest question on top; all messages equal should not.
    const other = (i: number): string => (questions[(i + 17) % questions.length] as LabelledQuestion).q
    const conversation = (q: LabelledQuestion, i: number): RetrievalTurn[] => [
      { role: 'customer', text: other(i) },
      { role: 'agent', text: 'Thanks for getting in touch, let me check that for you.' },
      { role: 'customer', text: q.q },
    ]
    const weightedTurns = hitRates(bigIndex, questions, DEFAULT_TUNING, conversation)
    const equalTurns = hitRates(bigIndex, questions, { ...DEFAULT_TUNING, decay: 1 }, conversation)
    const joined = hitRates(bigIndex, questions, DEFAULT_TUNING, (q, i) => `${other(i)}\n${q.q}`)

    // Latency: every question against the 10,000-passage base, several rounds after a warm-up round.
    const samples: number[] = []
    for (let round = 0; round < 6; round++) {
      for (const question of questions) {
        const started = performance.now()
        retrieve(bigIndex, question.q, { limit: 5, tokenBudget: 2000 }, DEFAULT_TUNING)
        if (round > 0) samples.push(performance.now() - started)
      }
    }
    samples.sort((a, b) => a - b)
    const at = (p: number): number => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)] as number
    const p50 = at(50)
    const p95 = at(95)
    for (const index of indexes.values()) index.close()

    const columns = [
      { header: 'retrieval' },
      { header: 'hit@1 (labelled docs)', align: 'right' as const },
      { header: 'hit@3 (labelled docs)', align: 'right' as const },
      { header: 'hit@1 (10k passages)', align: 'right' as const },
      { header: 'hit@3 (10k passages)', align: 'right' as const },
    ]
    const markdown = [
      `### Knowledge-base retrieval (${questions.length} labelled questions; ${indexing})`,
      '',
      renderTable(
        [{ header: 'measure' }, { header: 'value', align: 'right' }],
        [
          ['hit@1 (10,000-passage base)', percent(best.hit1)],
          ['hit@3 (10,000-passage base)', percent(best.hit3)],
          ['retrieval latency p50', `${ms(p50)} ms`],
          ['retrieval latency p95', `${ms(p95)} ms`],
        ],
      ),
      '',
      'What each retrieval idea does (cumulative; the row before "(tried)" is the default):',
      '',
      renderTable(columns, rows),
      '',
      'Conversations (an earlier customer message on another topic, an agent reply, then the labelled question; 10k base):',
      '',
      renderTable(
        [{ header: 'query construction' }, { header: 'hit@1', align: 'right' }, { header: 'hit@3', align: 'right' }],
        [
          ['latest customer message 1, earlier 0.5 (default)', percent(weightedTurns.hit1), percent(weightedTurns.hit3)],
          ['every customer message weighted equally', percent(equalTurns.hit1), percent(equalTurns.hit3)],
          ['all messages as one query', percent(joined.hit1), percent(joined.hit3)],
        ],
      ),
      '',
    ].join('\n')
    log(`retrieval bench: missed at 3 on the 10k base: ${best.misses.map((m) => `"${m.q}"`).join('; ') || 'none'}`)
    return { markdown, hit1: best.hit1, hit3: best.hit3, p50, p95 }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runRetrievalBench()
  console.log(result.markdown)
}
