// Undo of the last rewrite, in the reply toolbar while the rewrite is the draft shown (also Ctrl/⌘+Z outside
// text fields).
import { useIsMac } from '../../context/platform'
import type { RewriteControls } from '../../hooks/useRewrite'
import { withShortcut } from '../../state/shortcuts'
import { Icon } from '../Icon'

export function RewriteUndoButton({ rewrite }: { rewrite: RewriteControls }) {
  const mac = useIsMac()
  if (!rewrite.undoLabel) return null
  return (
    <button
      type="button"
      className="button"
      title={withShortcut(rewrite.undoLabel, 'undo-rewrite', mac)}
      aria-label={rewrite.undoLabel}
      onClick={() => rewrite.undo()}
      data-testid="undo-rewrite-button"
    >
      <Icon name="undo" />
      Undo
    </button>
  )
}
