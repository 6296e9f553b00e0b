// Below the reply: Preview/Edit, why using it failed, and Use reply.
import { useIsMac } from '../../context/platform'
import type { ReplyControls } from '../../hooks/useReply'
import type { ReplyMode } from '../../hooks/useReplyMode'
import { withShortcut } from '../../state/shortcuts'
import { Icon } from '../Icon'

export interface ReplyFooterProps {
  mode: ReplyMode
  drafting: boolean
  canUse: boolean
  reply: ReplyControls
  onPreview(): void
  onEdit(): void
}

export function ReplyFooter({ mode, drafting, canUse, reply, onPreview, onEdit }: ReplyFooterProps) {
  const mac = useIsMac()
  return (
    <div className="draft-footer">
      <div className="segmented" role="group" aria-label="Reply view">
        <button type="button" aria-pressed={mode === 'preview' || drafting} onClick={onPreview} disabled={drafting} data-testid="preview-mode-button">
          <Icon name="eye" />
          Preview
        </button>
        <button type="button" aria-pressed={mode === 'edit' && !drafting} onClick={onEdit} disabled={drafting} data-testid="edit-mode-button">
          <Icon name="pencil" />
          Edit
        </button>
      </div>
      {reply.useError && (
        <span className="field-error" role="alert" data-testid="use-reply-error">
          {reply.useError}
        </span>
      )}
      <button
        type="button"
        className="button button-primary"
        onClick={reply.use}
        disabled={!canUse}
        title={withShortcut('Save as the agent’s reply', 'use-reply', mac)}
        data-testid="use-reply-button"
      >
        <Icon name="check" />
        {reply.using ? 'Saving…' : 'Use reply'}
      </button>
    </div>
  )
}
