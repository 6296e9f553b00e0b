// What the reply panel says above the text: why drafting is not possible, the draft's figures, and why a
// draft could not start or did not complete.
import { useDialogs } from '../../context/dialogs'
import type { ReplyControls } from '../../hooks/useReply'
import { describeDraftProblem } from '../../state/draft-errors'
import { isDrafting, type DraftState } from '../../state/draft-state'
import { Icon } from '../Icon'
import { DraftProblemBox } from './DraftProblemBox'
import { DraftStats } from './DraftStats'

export function DraftNotices({ draft, reply }: { draft: DraftState; reply: ReplyControls }) {
  const { openSettings } = useDialogs()
  const drafting = isDrafting(draft)
  const hasDraft = draft.messageId !== null && draft.phase !== 'idle'
  const problem = draft.phase === 'ended' ? describeDraftProblem(draft.status, draft.error, draft.truncation) : null
  const { blocked } = reply
  return (
    <>
      {blocked && !drafting && (
        <div className="draft-hint" data-testid="draft-blocked-hint">
          <span>{blocked.reason}</span>
          {blocked.settings && (
            <button type="button" className="link-button" onClick={() => openSettings()}>
              Open Settings
            </button>
          )}
        </div>
      )}

      {(hasDraft || drafting) && <DraftStats draft={draft} live={drafting} />}

      {draft.requestError && (
        <div className="problem-box problem-error" role="alert" data-testid="draft-error" data-tone="error">
          <Icon name="alert" size={18} />
          <div className="problem-text">
            <p className="problem-title">The draft could not start</p>
            <p data-testid="draft-error-message">{draft.requestError}</p>
          </div>
        </div>
      )}
      {problem && <DraftProblemBox problem={problem} onRetry={() => void reply.requestDraft()} retryDisabled={blocked !== null} />}
    </>
  )
}
