// Under the draft: the knowledge-base passages it was grounded in, each named by document and heading, and each
// opening the passage in context (as the [n] markers in the text do).
import { useContext, useId } from 'react'
import { CitationContext } from '../../markdown/citation-context'
import { sortedSources, sourceTitle } from '../../state/draft-sources'

export function DraftSources() {
  const citations = useContext(CitationContext)
  const headingId = useId()
  if (!citations || citations.sources.length === 0) return null
  return (
    <section className="draft-sources" aria-labelledby={headingId} data-testid="draft-sources">
      <h3 id={headingId}>Sources</h3>
      <ol>
        {sortedSources(citations.sources).map((source) => (
          <li key={source.n}>
            <button
              type="button"
              className="source-item"
              onClick={() => citations.open(source)}
              title={`Show passage ${source.n} in its document`}
              data-testid="source-item"
              data-source={source.n}
            >
              <span className="source-n">[{source.n}]</span>
              <span className="source-title">{sourceTitle(source)}</span>
              <span className="source-path">— {source.path}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  )
}
