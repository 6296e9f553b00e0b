// The reply panel's title, its status, Copy, and the one slot Draft/Regenerate and Stop share, so Stop is
// exactly where the agent just clicked and never moves while text streams.
import { useIsMac } from '../../context/platform'
import type { DraftControls } from '../../hooks/useDraft'
import type { ReplyControls } from '../../hooks/useReply'
import type { RewriteControls } from '../../hooks/useRewrite'
import { isDrafting, type DraftState } from '../../state/draft-state'
import { withShortcut } from '../../state/shortcuts'
import { Icon } from '../Icon'
import { RewriteMenu } from './RewriteMenu'
import { RewriteUndoButton } from './RewriteUndoButton'

const PHASE_LABEL: Record<DraftState['phase'], string> = { idle: 'No draft', starting: 'Waiting for Gemini…', streaming: 'Drafting…', ended: '' }
const STATUS_LABEL = {
  complete: 'Ready',
  stopped: 'Stopped',
  error: 'Failed',
  blocked: 'Blocked',
  interrupted: 'Interrupted',
  truncated: 'Cut off',
} as const

export function DraftToolbar({ controls, reply, rewrite }: { controls: DraftControls; reply: ReplyControls; rewrite: RewriteControls }) {
  const { draft } = controls
  const statusLabel = draft.phase === 'ended' && draft.status ? STATUS_LABEL[draft.status] : PHASE_LABEL[draft.phase]
  return (
    <div className="draft-toolbar">
      <div className="draft-title">
        <h2>Reply</h2>
        {statusLabel && (
          <span className={`status-chip status-${draft.phase === 'ended' ? draft.status : draft.phase}`} data-testid="draft-status">
            {draft.phase === 'streaming' && <span className="pulse" aria-hidden="true" />}
            {statusLabel}
          </span>
        )}
        {rewrite.label && (
          <span className="status-chip status-rewrite" title={`Rewrite: ${rewrite.label}`} data-testid="rewrite-label">
            {rewrite.label}
          </span>
        )}
        {reply.edited && <span className="status-chip status-edited">Edited</span>}
      </div>
      <div className="draft-toolbar-actions">
        <button
          type="button"
          className="icon-button"
          aria-label="Copy reply"
          title="Copy reply"
          onClick={reply.copy}
          disabled={reply.text.trim() === ''}
          data-testid="copy-button"
        >
          <Icon name="copy" />
        </button>
        <RewriteUndoButton rewrite={rewrite} />
        <RewriteMenu rewrite={rewrite} />
        <DraftButton controls={controls} reply={reply} />
      </div>
    </div>
  )
}

/** Stop while drafting; otherwise Regenerate when there is a draft, Draft reply when there is none. */
function DraftButton({ controls, reply }: { controls: DraftControls; reply: ReplyControls }) {
  const mac = useIsMac()
  const { draft, stopping } = controls
  const hasDraft = draft.messageId !== null && draft.phase !== 'idle'
  const onDraft = (): void => void reply.requestDraft()

  if (isDrafting(draft)) {
    return (
      <button
        type="button"
        className="button button-stop toolbar-slot"
        onClick={() => void controls.stop()}
        disabled={stopping}
        title="Stop the draft (Esc)"
        data-testid="stop-button"
      >
        <Icon name="stop" />
        {stopping ? 'Stopping…' : 'Stop'}
      </button>
    )
  }
  if (hasDraft) {
    return (
      <button
        type="button"
        className="button toolbar-slot"
        onClick={onDraft}
        disabled={reply.blocked !== null}
        title={reply.blocked?.reason ?? withShortcut('Draft a new reply', 'draft', mac)}
        data-testid="regenerate-button"
      >
        <Icon name="refresh" />
        Regenerate
      </button>
    )
  }
  return (
    <button
      type="button"
      className="button button-primary toolbar-slot"
      onClick={onDraft}
      disabled={reply.blocked !== null}
      title={reply.blocked?.reason ?? withShortcut('Draft a reply with Gemini', 'draft', mac)}
      data-testid="draft-button"
    >
      <Icon name="sparkles" />
      Draft reply
    </button>
  )
}
