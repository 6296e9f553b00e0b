import { splitSnippet } from '../../state/snippet'

/** A search snippet: matches in <mark>, everything as text (never HTML). */
export function Snippet({ text }: { text: string }) {
  return (
    <span className="snippet" data-testid="search-snippet">
      {splitSnippet(text).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </span>
  )
}
