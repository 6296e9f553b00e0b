// Where a draft did not complete: said in the draft area, next to (never instead of) its partial text.
import { useDialogs } from '../../context/dialogs'
import type { DraftProblem } from '../../state/draft-errors'
import { Icon } from '../Icon'

export interface DraftProblemBoxProps {
  problem: DraftProblem
  /** Drafts again: Retry after a failure, Regenerate for a cut-off draft. */
  onRetry(): void
  retryDisabled: boolean
}

export function DraftProblemBox({ problem, onRetry, retryDisabled }: DraftProblemBoxProps) {
  const { openSettings } = useDialogs()
  // A failure or a cut-off draft needs the agent's attention (an alert); a stop they made themselves does not.
  const urgent = problem.tone !== 'notice'
  return (
    <div className={`problem-box problem-${problem.tone}`} role={urgent ? 'alert' : 'status'} data-testid="draft-error" data-tone={problem.tone}>
      <Icon name={urgent ? 'alert' : 'info'} size={18} />
      <div className="problem-text">
        <p className="problem-title" data-testid="draft-error-title">
          {problem.title}
        </p>
        <p data-testid="draft-error-message">{problem.message}</p>
        {problem.hint && (
          <p className="muted" data-testid="draft-error-hint">
            {problem.hint}
          </p>
        )}
      </div>
      {problem.action === 'retry' && problem.tone === 'error' && (
        <button type="button" className="button" onClick={onRetry} disabled={retryDisabled} data-testid="retry-button">
          <Icon name="refresh" />
          Retry
        </button>
      )}
      {problem.action === 'regenerate' && (
        <button
          type="button"
          className="button"
          onClick={onRetry}
          disabled={retryDisabled}
          title="Draft a new, whole reply"
          data-testid="problem-regenerate-button"
        >
          <Icon name="refresh" />
          Regenerate
        </button>
      )}
      {problem.action === 'settings' && (
        <button type="button" className="button" onClick={() => openSettings()} data-testid="error-settings-button">
          Open Settings
        </button>
      )}
    </div>
  )
}
