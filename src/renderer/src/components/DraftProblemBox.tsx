// Where a draft did not complete: said in the draft area, next to (never instead of) its partial text.
import type { DraftProblem } from '../state/draft-errors'
import { Icon } from './Icon'

export interface DraftProblemBoxProps {
  problem: DraftProblem
  onRetry(): void
  onOpenSettings(): void
  retryDisabled: boolean
}

export function DraftProblemBox({ problem, onRetry, onOpenSettings, retryDisabled }: DraftProblemBoxProps) {
  return (
    <div className={`problem-box problem-${problem.tone}`} role={problem.tone === 'error' ? 'alert' : 'status'} data-testid="draft-error" data-tone={problem.tone}>
      <Icon name={problem.tone === 'error' ? 'alert' : 'info'} size={18} />
      <div className="problem-text">
        <p className="problem-title">{problem.title}</p>
        <p data-testid="draft-error-message">{problem.message}</p>
        {problem.hint && <p className="muted">{problem.hint}</p>}
      </div>
      {problem.action === 'retry' && problem.tone === 'error' && (
        <button type="button" className="button" onClick={onRetry} disabled={retryDisabled} data-testid="retry-button">
          <Icon name="refresh" />
          Retry
        </button>
      )}
      {problem.action === 'settings' && (
        <button type="button" className="button" onClick={onOpenSettings} data-testid="error-settings-button">
          Open Settings
        </button>
      )}
    </div>
  )
}
