// An offline draft: when Gemini cannot be reached, the agent can still start from the knowledge base. The reply is
// assembled, not written: from each of the best passages, the sentences that share the most words with the
// customer's question, each bullet cited [n], under a label that says where it comes from. It never pretends to
// be a written answer; the agent edits it.
import type { DraftSource } from '../../../shared/knowledge'
import { unwrapPassage } from '../../../shared/passage-text'
import { queryTerms, words } from './query'

/** The label the assembled reply starts with. */
export const OFFLINE_REPLY_LABEL = 'From our knowledge base:'
/** Sentences taken from each passage, at most. */
const SENTENCES_PER_PASSAGE = 2
/** A sentence longer than this is cut at a word boundary. */
const MAX_SENTENCE_CHARS = 400
// Words compared by their first letters: "refunds", "refunded" and "refund" match, as the index's stemming would.
const STEM_CHARS = 5

const stem = (word: string): string => word.slice(0, STEM_CHARS)

/**
 * The passage's sentences, without Markdown markers: split at blank lines, list items, headings and sentence ends.
 * Documents are often hard-wrapped, so the lines of a paragraph are joined first (the rule the passage dialog shows
 * them by): splitting at every line break would quote half a sentence.
 */
export function sentencesOf(text: string): string[] {
  return unwrapPassage(text)
    .split(/\n+|(?<=[.!?])\s+(?=[\p{Lu}\p{N}"“(])/u)
    .map((line) => line.replace(/^\s*(?:[-*+•]|\d+[.)]|#+)\s+/, '').trim())
    .filter((sentence) => /\p{L}/u.test(sentence))
}

function shorten(sentence: string): string {
  if (sentence.length <= MAX_SENTENCE_CHARS) return sentence
  const cut = sentence.slice(0, MAX_SENTENCE_CHARS)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_SENTENCE_CHARS / 2)).trimEnd()}…`
}

/** The sentences of one passage most about the question, in the passage's order; its opening ones when none is. */
export function relevantSentences(text: string, question: string, count = SENTENCES_PER_PASSAGE): string[] {
  const sentences = sentencesOf(text)
  const wanted = new Set(
    queryTerms(question)
      .flat()
      .flatMap((alternative) => alternative.split(' '))
      .filter((word) => word.length >= 3)
      .map(stem),
  )
  const scored = sentences.map((sentence, index) => {
    const found = new Set(
      words(sentence)
        .map(stem)
        .filter((s) => wanted.has(s)),
    )
    return { sentence, index, score: found.size }
  })
  const best = scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, count)
  const chosen = best.length > 0 ? best.sort((a, b) => a.index - b.index) : scored.slice(0, count)
  return chosen.map((s) => shorten(s.sentence))
}

// A sentence that already ends with a stop (or was cut with an ellipsis).
const ENDS_SENTENCE = /[.!?…:;]["'”’)]*$/

/** Sentences in one line: list items and table-like lines have no stop of their own, so a '; ' keeps them apart. */
function joinSentences(sentences: readonly string[]): string {
  return sentences.map((sentence, i) => (i < sentences.length - 1 && !ENDS_SENTENCE.test(sentence) ? `${sentence};` : sentence)).join(' ')
}

/**
 * The offline reply to `question` from `sources` (best first, numbered as they will be saved): the label, then
 * one bullet per passage with its most relevant sentences and its [n]. `cited`: the numbers it cites (a passage
 * without a sentence, only numbers or symbols, is left out).
 */
export function assembleOfflineReply(question: string, sources: ReadonlyArray<Pick<DraftSource, 'n' | 'text'>>): { text: string; cited: number[] } {
  const bullets = sources
    .map((source) => ({ n: source.n, sentences: relevantSentences(source.text, question) }))
    .filter((bullet) => bullet.sentences.length > 0)
  const lines = bullets.map(({ n, sentences }) => `- ${joinSentences(sentences)} [${n}]`)
  return { text: [OFFLINE_REPLY_LABEL, '', ...lines].join('\n'), cited: bullets.map((bullet) => bullet.n) }
}
