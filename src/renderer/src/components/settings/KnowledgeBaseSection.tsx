// Settings → Knowledge base: the folder drafts are grounded in and how much of it each draft gets, the state of
// its index, its documents, adding documents, and trying retrieval directly. Everything here applies at once, apart
// from the Settings form's Save (the folder form has its own).
import { useId } from 'react'
import { useSettings } from '../../context/settings'
import { useKnowledgeBase } from '../../hooks/useKnowledgeBase'
import { KnowledgeDocumentAdd } from './KnowledgeDocumentAdd'
import { KnowledgeDocumentTable } from './KnowledgeDocumentTable'
import { KnowledgeFolderForm } from './KnowledgeFolderForm'
import { KnowledgeIndexStatus } from './KnowledgeIndexStatus'
import { KnowledgeSearch } from './KnowledgeSearch'
import { LoadState } from './LoadState'

export function KnowledgeBaseSection() {
  const headingId = useId()
  const { settings } = useSettings()
  const { view, error, refresh } = useKnowledgeBase()
  return (
    <section className="settings-section knowledge-section" aria-labelledby={headingId} data-testid="settings-knowledge-base">
      <h3 id={headingId}>Knowledge base</h3>
      <p className="muted small">
        Drafts are grounded in the documents of this folder (Markdown, text, HTML and PDF, subfolders included): the passages that best match the
        conversation go to Gemini, which cites them as [1], [2]… Changes to the folder are picked up while the console runs.
      </p>
      {settings && <KnowledgeFolderForm knowledgeBase={settings.knowledgeBase} onSaved={refresh} />}
      {view ? (
        <>
          <KnowledgeIndexStatus view={view} />
          {view.documents.length > 0 && <KnowledgeDocumentTable documents={view.documents} />}
          {view.dir && <KnowledgeDocumentAdd onAdded={refresh} />}
          {view.state !== 'off' && <KnowledgeSearch />}
        </>
      ) : (
        <LoadState what="the knowledge base" error={error} onRetry={refresh} testId="knowledge-load-error" />
      )}
    </section>
  )
}
