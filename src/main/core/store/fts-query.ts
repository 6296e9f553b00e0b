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
