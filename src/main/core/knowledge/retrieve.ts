// Retrieval: the passages a draft should be grounded in, for a search-box text or a conversation. A conversation
// is searched one customer message at a time, latest first, and each message's matches count with a weight that
// halves for every earlier message: the question being answered is the latest one, while earlier ones still say
// which order, product or topic it is about. Agent messages count a little (they often restate the problem).
// Each message's relevances are scaled to its best match before weighting, so a long early message cannot
// outweigh a short latest one just because it has more words.
// Within one message, a passage's bm25 relevance is raised by two things measured to help on the labelled questions
// (bench/retrieval.ts): the share of the question's terms in its headings (a heading names what a section answers,
// bm25 alone lets one rare body word outrank it), and how well its whole document matches (a section rarely repeats
// what its document is about). Pseudo relevance feedback and reciprocal rank fusion stay knobs, measured and off.
import type { MessageRole } from '../../../shared/domain'
import type { ColumnWeights, KnowledgeIndex, StoredPassage } from './knowledge-index'
import { DEFAULT_QUERY_OPTIONS, isDroppable, type QueryOptions, queryTerms, toMatchExpression, words } from './query'

export interface RetrievalTurn {
  role: MessageRole
  text: string
}

export interface RetrieveOptions {
  /** At most this many passages (default 5). */
  limit?: number
  /** Stop adding passages once their estimated tokens would pass this (default: no budget). */
  tokenBudget?: number
}

/** Knobs that only the bench turns: what each retrieval idea is worth. */
export interface RetrievalTuning {
  query: QueryOptions
  weights: ColumnWeights
  /** How many customer messages, latest first, are searched. */
  customerTurns: number
  /** Each earlier customer message counts this much of the one after it. */
  decay: number
  /** Weight of the agent's messages (0 leaves them out). */
  agentWeight: number
  /**
   * How much the passage's whole document matching the query adds (0: passages alone). A section rarely repeats
   * what its document is about ("returns", "warranty"); the document as a whole does.
   */
  documentWeight: number
  /** How passage and document rankings are combined: a weighted sum of normalised scores, or reciprocal rank fusion. */
  fusion: 'sum' | 'rrf'
  /** A passage's score is multiplied by 1 + this x the share of the question's terms it holds anywhere (0: off). */
  coverage: number
  /** ... and by 1 + this x the share of the question's terms in its heading path (0: off). */
  headingCoverage: number
  /** Pseudo relevance feedback: the top passages' most distinctive words searched again with this weight (0: off). */
  feedback: { passages: number; terms: number; weight: number }
}

export const DEFAULT_TUNING: RetrievalTuning = {
  query: DEFAULT_QUERY_OPTIONS,
  weights: { title: 2, headings: 4, body: 1 },
  customerTurns: 3,
  decay: 0.5,
  agentWeight: 0.2,
  documentWeight: 0.25,
  fusion: 'sum',
  coverage: 0,
  headingCoverage: 2,
  feedback: { passages: 3, terms: 8, weight: 0 },
}

export interface RetrievedPassage {
  passageId: number
  /** Higher is more relevant; 1 is the best match of the latest customer message. Comparable within one call. */
  score: number
  documentPath: string
  documentTitle: string
  headingPath: string[]
  text: string
  ordinal: number
  page: number | null
  /** chars / 4, the estimate the token budget is counted in. */
  tokens: number
}

export const DEFAULT_LIMIT = 5
// Each message's query fetches more than asked, so passages found by several messages can rise above others.
const CANDIDATES_PER_QUERY = 50

/** Tokens a passage takes in a prompt, roughly: about four characters a token for English text. */
export const estimateTokens = (passage: Pick<StoredPassage, 'text' | 'headingPath' | 'documentTitle'>): number =>
  Math.ceil((passage.documentTitle.length + passage.headingPath.join(' / ').length + passage.text.length) / 4)

// Reciprocal rank fusion's constant: the usual 60 keeps a first place from dwarfing a second.
const RRF_K = 60
// Documents fetched per query for the document-level score.
const DOCUMENT_CANDIDATES = 20
// Words of the feedback passages considered for expansion, most frequent first, before their rarity is looked up.
const FEEDBACK_CANDIDATE_WORDS = 40

type Scored = Array<{ passage: StoredPassage; score: number }>

/** One message's passages, scored in (0, 1] relative to its best: passage match, document match and feedback combined. */
function rankForText(index: KnowledgeIndex, text: string, tuning: RetrievalTuning, candidates: number): Scored {
  const match = toMatchExpression(text, tuning.query)
  if (match === null) return []
  const scores = new Map<number, { passage: StoredPassage; score: number }>()
  const add = (passage: StoredPassage, score: number): void => {
    const entry = scores.get(passage.id) ?? { passage, score: 0 }
    entry.score += score
    scores.set(passage.id, entry)
  }
  const matches = index.search(match, tuning.weights, candidates)
  const best = matches[0]?.relevance ?? 0
  if (best <= 0) return []
  const documents = tuning.documentWeight > 0 ? index.searchDocuments(match, tuning.weights, DOCUMENT_CANDIDATES) : []
  const bestDocument = documents[0]?.relevance ?? 0
  const documentScore = new Map(
    documents.map((d, rank) => [d.documentPath, tuning.fusion === 'rrf' ? 1 / (RRF_K + rank + 1) : d.relevance / bestDocument]),
  )
  matches.forEach(({ passage, relevance }, rank) => {
    const own = tuning.fusion === 'rrf' ? 1 / (RRF_K + rank + 1) : relevance / best
    add(passage, own + tuning.documentWeight * (documentScore.get(passage.documentPath) ?? 0))
  })

  if (tuning.coverage > 0 || tuning.headingCoverage > 0) {
    const terms = queryTerms(text, tuning.query)
    const share = (keys: ReadonlySet<string>): number =>
      terms.filter((alternatives) => alternatives.some((alt) => holds(keys, alt))).length / terms.length
    for (const entry of scores.values()) {
      const headings = termKeys(entry.passage.headingPath.join(' '))
      const inHeadings = tuning.headingCoverage > 0 ? share(headings) : 0
      const anywhere = tuning.coverage > 0 ? share(new Set([...termKeys(`${entry.passage.documentTitle} ${entry.passage.text}`), ...headings])) : 0
      entry.score *= 1 + tuning.coverage * anywhere + tuning.headingCoverage * inHeadings
    }
  }

  if (tuning.feedback.weight > 0) {
    const top = [...scores.values()].sort((a, b) => b.score - a.score).slice(0, tuning.feedback.passages)
    const expansion = feedbackTerms(index, text, top, tuning.feedback.terms)
    if (expansion.length > 0) {
      const again = index.search(expansion.map((w) => `"${w}"`).join(' OR '), tuning.weights, candidates)
      const bestAgain = again[0]?.relevance ?? 0
      for (const { passage, relevance } of again) if (bestAgain > 0) add(passage, (tuning.feedback.weight * relevance) / bestAgain)
    }
  }
  const all = [...scores.values()]
  const top = all.reduce((max, e) => Math.max(max, e.score), 0)
  return all.map((e) => ({ passage: e.passage, score: e.score / top }))
}

/**
 * Pseudo relevance feedback: the words the best passages share that are rare in the whole index (by how many
 * passages hold them), not already in the question. They name what the question is about in the documents' words.
 */
function feedbackTerms(index: KnowledgeIndex, text: string, top: Scored, count: number): string[] {
  const asked = new Set(words(text).map(stemKey))
  const frequency = new Map<string, { word: string; passages: number }>()
  for (const { passage } of top) {
    const seen = new Set<string>()
    for (const word of words(`${passage.headingPath.join(' ')} ${passage.text}`)) {
      const key = stemKey(word)
      if (word.length < 3 || isDroppable(word) || asked.has(key) || seen.has(key)) continue
      seen.add(key)
      const entry = frequency.get(key) ?? { word, passages: 0 }
      entry.passages++
      frequency.set(key, entry)
    }
  }
  const total = Math.max(1, index.passageTotal())
  return [...frequency.values()]
    .sort((a, b) => b.passages - a.passages || a.word.localeCompare(b.word))
    .slice(0, FEEDBACK_CANDIDATE_WORDS)
    .map(({ word, passages }) => ({ word, weight: passages * Math.log(total / (1 + index.matchCount(`"${word}"`))) }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, count)
    .map((e) => e.word)
}

// Words compared by their first letters, roughly as stemming would: "refunds" and "refunded" are one word.
const stemKey = (word: string): string => word.slice(0, 5)
/** The words of `text` by their stem key. */
const termKeys = (text: string): Set<string> => new Set(words(text).map(stemKey))
/** Whether every word of `alternative` (a word or a phrase) is among `keys`. */
const holds = (keys: ReadonlySet<string>, alternative: string): boolean => alternative.split(' ').every((word) => keys.has(stemKey(word)))

/** The texts to search and their weights, latest customer message first. */
export function weightedQueries(
  input: string | readonly RetrievalTurn[],
  tuning: RetrievalTuning = DEFAULT_TUNING,
): Array<{ text: string; weight: number }> {
  if (typeof input === 'string') return [{ text: input, weight: 1 }]
  const queries: Array<{ text: string; weight: number }> = []
  let weight = 1
  let customers = 0
  for (let i = input.length - 1; i >= 0; i--) {
    const turn = input[i] as RetrievalTurn
    if (turn.text.trim() === '') continue
    if (turn.role === 'customer' && customers < tuning.customerTurns) {
      queries.push({ text: turn.text, weight })
      weight *= tuning.decay
      customers++
    } else if (turn.role === 'agent' && tuning.agentWeight > 0 && customers > 0) {
      // Only agent messages before the latest customer message: a reply after it answers nothing yet asked.
      queries.push({ text: turn.text, weight: tuning.agentWeight * weight })
    }
  }
  return queries
}

export function retrieve(
  index: KnowledgeIndex,
  input: string | readonly RetrievalTurn[],
  options: RetrieveOptions = {},
  tuning: RetrievalTuning = DEFAULT_TUNING,
): RetrievedPassage[] {
  const limit = options.limit ?? DEFAULT_LIMIT
  if (limit <= 0) return []
  const scored = new Map<number, { passage: StoredPassage; score: number }>()
  for (const { text, weight } of weightedQueries(input, tuning)) {
    for (const { passage, score } of rankForText(index, text, tuning, Math.max(CANDIDATES_PER_QUERY, limit))) {
      const entry = scored.get(passage.id) ?? { passage, score: 0 }
      entry.score += weight * score
      scored.set(passage.id, entry)
    }
  }

  const ranked = [...scored.values()].sort((a, b) => b.score - a.score || a.passage.id - b.passage.id)
  const result: RetrievedPassage[] = []
  let tokens = 0
  for (const { passage, score } of ranked) {
    if (result.length >= limit) break
    const cost = estimateTokens(passage)
    // The budget bounds the prompt: once the next passage would pass it, no more are added.
    if (options.tokenBudget !== undefined && tokens + cost > options.tokenBudget) break
    tokens += cost
    result.push({
      passageId: passage.id,
      score,
      documentPath: passage.documentPath,
      documentTitle: passage.documentTitle,
      headingPath: passage.headingPath,
      text: passage.text,
      ordinal: passage.ordinal,
      page: passage.page,
      tokens: cost,
    })
  }
  return result
}
