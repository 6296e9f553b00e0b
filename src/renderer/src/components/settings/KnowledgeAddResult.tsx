// What adding documents did: the names they were saved under, and each file refused with its reason.
import type { AddedKnowledgeDocuments } from '../../../../shared/knowledge'

export function KnowledgeAddResult({ result }: { result: AddedKnowledgeDocuments }) {
  return (
    <div className="knowledge-add-result" role="status" data-testid="knowledge-add-result">
      {result.added.length > 0 && (
        <p>
          Added {result.added.length === 1 ? 'one document' : `${result.added.length} documents`}: {result.added.join(', ')}. They are indexed in a
          few seconds.
        </p>
      )}
      {result.refused.length > 0 && (
        <ul className="knowledge-refused" aria-label="Files not added">
          {result.refused.map((file) => (
            <li key={file.name} data-testid="knowledge-refused">
              <strong>{file.name}</strong> was not added: {file.reason}.
            </li>
          ))}
        </ul>
      )}
      {result.added.length === 0 && result.refused.length === 0 && <p>No files were added.</p>}
    </div>
  )
}
