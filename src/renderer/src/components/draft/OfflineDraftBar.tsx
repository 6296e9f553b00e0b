// What the panel says about drafting from the knowledge base: the label an offline draft always carries (it must
// never pass for Gemini's reply), or, when Gemini cannot draft now, the offer to start from the knowledge base.
import { useSettings } from '../../context/settings'
import type { OfflineDraftControls } from '../../hooks/useOfflineDraft'
import type { DraftState } from '../../state/draft-state'
import { isOfflineDraft, OFFLINE_DRAFT_LABEL, offlineDraftReason } from '../../state/offline-draft'
import { ConfirmDialog } from '../ConfirmDialog'
import { Icon } from '../Icon'

export function OfflineDraftBar({ draft, offline }: { draft: DraftState; offline: OfflineDraftControls }) {
  const { settings } = useSettings()
  const reason = offlineDraftReason(draft, settings?.apiKey.present ?? true)

  if (isOfflineDraft(draft)) {
    return (
      <p className="offline-draft-label" role="note" data-testid="offline-draft-label">
        <Icon name="info" size={18} />
        <span>
          <strong>{OFFLINE_DRAFT_LABEL}.</strong> Check it before using it.
        </span>
      </p>
    )
  }
  if (!reason) return null
  return (
    <div className="offline-draft-offer" data-testid="offline-draft-offer">
      <p>{reason} You can start from the knowledge base instead: a reply put together from its best-matching passages, with their sources.</p>
      <button type="button" className="button" onClick={offline.request} disabled={offline.busy} data-testid="offline-draft-button">
        <Icon name="search" />
        {offline.busy ? 'Drafting…' : 'Draft from knowledge base'}
      </button>
      {offline.error && (
        <p className="field-error" role="alert" data-testid="offline-draft-error">
          {offline.error}
        </p>
      )}
      {offline.confirming && (
        <ConfirmDialog
          title="Discard your edits?"
          message="The draft from the knowledge base replaces the reply you edited. Your edits will be lost."
          confirmLabel="Discard and draft"
          danger
          testId="confirm-offline-draft-dialog"
          onCancel={offline.cancel}
          onConfirm={offline.confirm}
        />
      )}
    </div>
  )
}
