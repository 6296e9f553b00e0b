// Where the index stands: off, indexing (with a progress bar), ready, or why the folder cannot be indexed.
import type { KnowledgeBaseView } from '../../../../shared/knowledge'
import { describeIndexState, progressPercent } from '../../state/knowledge-base'
import { Icon } from '../Icon'

export function KnowledgeIndexStatus({ view }: { view: KnowledgeBaseView }) {
  const text = describeIndexState(view)
  return (
    <div className={`knowledge-status knowledge-${view.state}`} data-testid="knowledge-status" data-state={view.state}>
      <p role={view.state === 'error' ? 'alert' : 'status'}>
        {view.state === 'error' && <Icon name="alert" />}
        {view.state === 'indexing' && <span className="spinner" aria-hidden="true" />}
        <span data-testid="knowledge-status-text">{text}</span>
      </p>
      {view.state === 'indexing' && (
        <progress
          className="knowledge-progress"
          aria-label="Indexing the knowledge base"
          max={view.progress?.total || undefined}
          value={view.progress && view.progress.total > 0 ? view.progress.done : undefined}
          aria-valuetext={view.progress ? `${progressPercent(view.progress)}%` : undefined}
          data-testid="knowledge-progress"
        />
      )}
    </div>
  )
}
