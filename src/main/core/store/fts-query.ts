// Turns whatever a person types into the search box into an FTS5 query that cannot be a syntax error.
//
// FTS5 has its own query language (AND/OR/NOT/NEAR, "phrases", prefix*, column:filters, ^, parentheses),
// and passing user text through raw makes `don't`, `C++ (urgent)` or a stray quote throw. So every
// whitespace-separated chunk becomes a quoted phrase (inner quotes doubled, the one escape FTS5 has);
// chunks are ANDed, and the last one is a prefix match so results follow the user while they type.
// Operators typed by the user become plain words, which is what a support agent means by them.

// Control characters end FTS5's string parsing early (a NUL gives "unterminated string").
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g

// A chunk with no letter or digit (`-`, `***`, `😀`) tokenizes to nothing, and an empty phrase makes
// the whole AND match nothing, so such chunks are dropped instead.
const SEARCHABLE = /[\p{L}\p{N}]/u

/** The FTS5 query for `input`, or null when it holds nothing searchable. */
export function toFtsQuery(input: string): string | null {
  const chunks = input
    .replace(CONTROL, ' ')
    .split(/\s+/u)
    .filter((chunk) => SEARCHABLE.test(chunk))
  if (chunks.length === 0) return null
  return chunks
    .map((chunk, i) => {
      const phrase = `"${chunk.replaceAll('"', '""')}"`
      return i === chunks.length - 1 ? `${phrase}*` : phrase
    })
    .join(' ')
}

// CJK text (issue 9). unicode61 makes a run of Chinese or Japanese one token, so "退款" never matches inside
// "申请退款". Messages with CJK characters are also indexed by the trigram tokenizer (messages_trigram, migration 6,
// whose view uses the same character set as this pattern), and a query with a CJK character goes there: each
// chunk is a substring. Trigrams need three characters; a shorter chunk becomes a LIKE on the candidate rows.
const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]/u

export interface CjkQuery {
  /** The trigram MATCH for the chunks of three characters or more, or null when every chunk is shorter. */
  match: string | null
  /** LIKE patterns (escaped with \) for the shorter chunks, each of which the text must contain. */
  likes: string[]
  /** Every chunk as typed, to mark in the snippet. */
  chunks: string[]
}

export function hasCjk(input: string): boolean {
  return CJK.test(input)
}

/** The trigram query for `input` (which holds CJK characters), or null when it holds nothing searchable. */
export function toCjkQuery(input: string): CjkQuery | null {
  const chunks = input
    .replace(CONTROL, ' ')
    .split(/\s+/u)
    .filter((chunk) => SEARCHABLE.test(chunk))
  if (chunks.length === 0) return null
  const long = chunks.filter((chunk) => [...chunk].length >= 3)
  const short = chunks.filter((chunk) => [...chunk].length < 3)
  return {
    match: long.length === 0 ? null : long.map((chunk) => `"${chunk.replaceAll('"', '""')}"`).join(' '),
    likes: short.map((chunk) => `%${chunk.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
    chunks,
  }
}

/** The query's last chunk when it is one plain ASCII word (so FTS5 folds it by lowercasing alone), else null. */
export function plainPrefix(input: string): string | null {
  const chunks = input
    .replace(CONTROL, ' ')
    .split(/\s+/u)
    .filter((chunk) => SEARCHABLE.test(chunk))
  const last = chunks.at(-1)
  return last !== undefined && /^[A-Za-z0-9]+$/.test(last) ? last.toLowerCase() : null
}

/**
 * The same query with its last, prefix, term replaced by the words of the index that start with it, ORed: FTS5
 * reads an OR of a few terms lazily (newest first, a page at a time), where a prefix query first merges every
 * matching term's whole list. `terms` empty: nothing can match.
 */
export function withExpandedPrefix(match: string, terms: readonly string[]): string {
  const head = match.slice(0, match.lastIndexOf('"', match.length - 3)).replace(/\s*$/, '')
  const alternatives = terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ')
  // FTS5 takes no implicit AND before a parenthesised group, so the other words are grouped and ANDed explicitly.
  return head ? `(${head}) AND (${alternatives})` : `(${alternatives})`
}
