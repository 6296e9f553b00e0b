// Customer text to an FTS5 query. Customers write "can I get my money back for the parcel??", documents say
// "refund" and "delivery", so the text is rewritten before it is searched: lowercased and stripped of
// punctuation, stop words and filler dropped, a few support words mapped to the documents' vocabulary, long
// words matched as prefixes, and what remains ORed (requiring every word, as AND does, finds nothing for most
// real questions). Stemming is the tokenizer's (porter), on both sides. Each step can be turned off, so
// bench/retrieval.ts can show what it is worth on the labelled questions.

export interface QueryOptions {
  /** 'or' ranks passages by how many (and how rare) of the words they share; 'and' requires every word. */
  operator: 'and' | 'or'
  /** Drop stop words, filler and bare numbers. */
  stopWords: boolean
  /** Add the documents' words for common support synonyms. */
  synonyms: boolean
  /** The synonym groups (default SYNONYMS); the bench passes fewer to measure what the later ones add. */
  synonymGroups?: readonly (readonly string[])[]
  /** Match words of at least PREFIX_MIN_LENGTH characters as prefixes. */
  prefix: boolean
}

export const DEFAULT_QUERY_OPTIONS: QueryOptions = { operator: 'or', stopWords: true, synonyms: true, prefix: false }

export const PREFIX_MIN_LENGTH = 6
/** A long message is cut to its first words, so one pasted email cannot make a query of hundreds of terms. */
export const MAX_TERMS = 32

// English function words, question words and the filler customers write around a question ("hi", "please",
// "thanks"), plus the fragments the tokenizer leaves of contractions ("don't" is "don" and "t").
const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves ' +
    'don doesn didn isn wasn won wouldn couldn shouldn haven hasn hadn aren weren ll ve re im ive id dont doesnt didnt cant ' +
    'wont isnt s t d m ' +
    'hi hello hey dear please thanks thank thx pls cheers regards ok okay yes yeah also still already anymore really ' +
    'get got getting want wants wanted need needed like going go know let may might must shall much many well ago ' +
    'something anything thing things instead right possible put take love good'
  ).split(/\s+/),
)

/**
 * Support vocabulary: each group lists words and phrases customers and documents use for one thing. A query
 * word found in a group brings in the whole group. Kept to general support language, not to this repository's
 * fixture documents, so it helps any shop's knowledge base.
 */
export const SUPPORT_SYNONYMS: readonly (readonly string[])[] = [
  ['refund', 'money back', 'reimburse', 'reimbursement', 'pay back'],
  ['parcel', 'package', 'delivery', 'shipment'],
  ['voucher', 'gift card', 'coupon', 'gift certificate'],
  ['warranty', 'guarantee', 'guaranteed'],
  ['exchange', 'swap', 'trade'],
  ['postage', 'shipping', 'delivery cost'],
  ['ship', 'deliver', 'send'],
  ['return', 'send back', 'give back'],
  ['cancel', 'cancellation', 'stop'],
  ['invoice', 'receipt'],
  ['broken', 'damaged', 'faulty', 'defective'],
  ['charged', 'debited', 'billed'],
  ['delete', 'erase', 'remove'],
  ['login', 'sign in', 'log in'],
]

/**
 * More support vocabulary, written after reading only the misses of the tuning half of the labelled questions
 * (even positions; bench/retrieval.ts), never the held-out half, so the held-out hit rates say whether they
 * generalise. Still general language: how customers say "return", "expired", "register", "address". (A "how long"
 * = "time" group helped the tuning half too but made "how long does my refund take" find delivery times: dropped.)
 */
export const TUNED_SYNONYMS: readonly (readonly string[])[] = [
  ['return', 'post back', 'ship back', 'mail back', 'bring back'],
  ['expire', 'expiry', 'expired', 'valid', 'validity', 'still good', 'disappeared'],
  ['register', 'registration', 'sign up'],
  ['address', 'moved', 'moving house', 'relocated'],
]

export const SYNONYMS: readonly (readonly string[])[] = [...SUPPORT_SYNONYMS, ...TUNED_SYNONYMS]

const APOSTROPHE = /['’‘`´]/g

/** The words of `text` as the FTS tokenizer would see them: lowercase, without punctuation or diacritics. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHE, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .flatMap((chunk) => chunk.split("'"))
    .filter((word) => word !== '')
}

/** Stop words, filler, bare numbers and single letters: never worth searching for. */
export const isDroppable = (word: string): boolean => STOP_WORDS.has(word) || /^\p{N}+$/u.test(word) || word.length === 1

type SynonymEntries = ReadonlyMap<string, ReadonlyArray<{ phrase: string[]; group: readonly string[] }>>

/** Synonym entries by their first word, longest phrase first, so "money back" is tried before "money". */
function synonymEntries(groups: readonly (readonly string[])[]): SynonymEntries {
  const map = new Map<string, Array<{ phrase: string[]; group: readonly string[] }>>()
  for (const group of groups) {
    for (const entry of group) {
      const phrase = entry.split(' ')
      const list = map.get(phrase[0] as string) ?? []
      list.push({ phrase, group })
      // Stable sort: of two phrases as long, the earlier group's wins.
      map.set(
        phrase[0] as string,
        list.sort((a, b) => b.phrase.length - a.phrase.length),
      )
    }
  }
  return map
}

const ENTRIES_BY_GROUPS = new WeakMap<readonly (readonly string[])[], SynonymEntries>()
const entriesFor = (groups: readonly (readonly string[])[]): SynonymEntries => {
  let entries = ENTRIES_BY_GROUPS.get(groups)
  if (!entries) ENTRIES_BY_GROUPS.set(groups, (entries = synonymEntries(groups)))
  return entries
}

// A plural finds the singular's synonyms ("vouchers" is a "voucher").
const singular = (word: string): string => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word)
/** Words that may stand between a phrase's words: "send them back", "get my money back". */
const PHRASE_GAP = 2

/** The synonym group of the phrase starting at words[i], and where it ends; a phrase's words may have a short gap. */
function synonymAt(all: readonly string[], i: number, table: SynonymEntries): { group: readonly string[]; end: number } | undefined {
  const first = all[i] as string
  const entries = table.get(first) ?? table.get(singular(first)) ?? []
  for (const { phrase, group } of entries) {
    let at = i + 1
    let matched = true
    for (const word of phrase.slice(1)) {
      const next = all.slice(at, at + PHRASE_GAP + 1).findIndex((w) => w === word || singular(w) === word)
      if (next < 0) {
        matched = false
        break
      }
      at += next + 1
    }
    if (matched) return { group, end: at }
  }
  return undefined
}

/**
 * The query's terms: each is a list of alternatives (a word or a phrase, several when synonyms apply), in the
 * order they first appear, without repeats.
 */
export function queryTerms(text: string, options: QueryOptions = DEFAULT_QUERY_OPTIONS): string[][] {
  const all = words(text)
  const table = entriesFor(options.synonymGroups ?? SYNONYMS)
  const terms: string[][] = []
  const seen = new Set<string>()
  const add = (alternatives: readonly string[]): void => {
    const key = alternatives[0] as string
    if (seen.has(key) || terms.length >= MAX_TERMS) return
    seen.add(key)
    terms.push([...alternatives])
  }
  for (let i = 0; i < all.length; i++) {
    const word = all[i] as string
    if (options.synonyms) {
      const found = synonymAt(all, i, table)
      if (found) {
        add(found.group)
        i = found.end - 1
        continue
      }
    }
    if (options.stopWords && isDroppable(word)) continue
    add([word])
  }
  return terms
}

const quote = (alternative: string): string => `"${alternative.replaceAll('"', '""')}"`

function termExpression(alternatives: readonly string[], options: QueryOptions): string {
  const parts = alternatives.map((alt) => (options.prefix && !alt.includes(' ') && alt.length >= PREFIX_MIN_LENGTH ? `${quote(alt)}*` : quote(alt)))
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`
}

/** The FTS5 MATCH expression for `text`, or null when nothing searchable is left. Never an FTS5 syntax error. */
export function toMatchExpression(text: string, options: QueryOptions = DEFAULT_QUERY_OPTIONS): string | null {
  const terms = queryTerms(text, options)
  if (terms.length === 0) return null
  return terms.map((alternatives) => termExpression(alternatives, options)).join(options.operator === 'or' ? ' OR ' : ' AND ')
}
