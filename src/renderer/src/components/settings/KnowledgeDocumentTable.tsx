// The knowledge base's documents: where each is, its title, how many passages it gave, when it was indexed, its
// size, and, for one that could not be read, why.
import type { KnowledgeDocumentView } from '../../../../shared/knowledge'
import { formatBytes } from '../../state/knowledge-base'
import { RelativeTime } from '../RelativeTime'

export function KnowledgeDocumentTable({ documents }: { documents: KnowledgeDocumentView[] }) {
  return (
    // Focusable so a keyboard can scroll a long list.
    <div className="knowledge-table-wrap" tabIndex={0} role="region" aria-label="Knowledge-base documents">
      <table className="knowledge-table" data-testid="knowledge-documents">
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Passages</th>
            <th scope="col">Indexed</th>
            <th scope="col">Size</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((doc) => (
            <tr key={doc.path} data-testid="knowledge-document" data-path={doc.path} data-error={doc.error ? 'true' : undefined}>
              <td>
                <span className="knowledge-doc-title">{doc.title || doc.path}</span>
                <span className="knowledge-doc-path mono">{doc.path}</span>
                {doc.error && (
                  <span className="knowledge-doc-error" data-testid="knowledge-document-error">
                    Could not be read: {doc.error}
                  </span>
                )}
              </td>
              <td className="numeric">{doc.passages}</td>
              <td>
                {doc.indexedAt ? (
                  <RelativeTime iso={doc.indexedAt} className="knowledge-indexed" title={new Date(doc.indexedAt).toLocaleString()} />
                ) : (
                  '–'
                )}
              </td>
              <td className="numeric">{formatBytes(doc.sizeBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
