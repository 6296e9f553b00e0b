// Trying retrieval directly: the passages a draft would be given for some text, best first, with where each is
// from and its score, so the agent can see why a draft cited what it did (or did not).
import { useId, useState, type FormEvent } from 'react'
import type { RetrievedPassageView } from '../../../../shared/knowledge'
import { MAX_SEARCH_CHARS } from '../../../../shared/limits'
import { useApi } from '../../api/api-context'
import { describeError } from '../../api/errors'
import { sourceTitle, unwrapPassage } from '../../state/draft-sources'
import { Icon } from '../Icon'

export function KnowledgeSearch() {
  const api = useApi()
  const id = useId()
  const [text, setText] = useState('')
  const [results, setResults] = useState<{ for: string; passages: RetrievedPassageView[] } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [searching, setSearching] = useState(false)

  const search = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const query = text.trim()
    if (!query || searching) return
    setSearching(true)
    setError(null)
    try {
      setResults({ for: query, passages: await api.searchKnowledgeBase(query) })
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setSearching(false)
    }
  }

  return (
    <form className="field knowledge-search" role="search" aria-label="Try the knowledge base" onSubmit={(e) => void search(e)}>
      <label htmlFor={`${id}-q`}>Which passages would a draft get for this text?</label>
      <div className="input-row">
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          maxLength={MAX_SEARCH_CHARS}
          placeholder="e.g. my tent pole snapped on the first night, can I get a new one?"
          data-testid="knowledge-search-input"
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button" disabled={text.trim() === ''} data-testid="knowledge-search-button">
          <Icon name="search" />
          {searching ? 'Searching…' : 'Search'}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {results && (
        <div className="knowledge-results-wrap">
          <p className={results.passages.length === 0 ? 'muted small' : 'visually-hidden'} role="status">
            {results.passages.length === 0
              ? `No passage matches “${results.for}”: a draft would be written from the conversation alone.`
              : `${results.passages.length} passages found.`}
          </p>
          {results.passages.length > 0 && (
            <ol className="knowledge-results" aria-label={`Passages for “${results.for}”`} data-testid="knowledge-search-results">
              {results.passages.map((p) => (
                <li key={p.passageId} data-testid="knowledge-search-result">
                  <div className="knowledge-result-head">
                    <strong>{sourceTitle(p)}</strong>
                    <span className="knowledge-score mono" title="Relevance: higher is better, compared within these results">
                      score {p.score.toFixed(2)}
                    </span>
                  </div>
                  <span className="knowledge-doc-path mono">{p.path}</span>
                  <p className="knowledge-result-text">{unwrapPassage(p.text)}</p>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </form>
  )
}
