// A cited passage in context: the text before it, the passage itself highlighted, and the text after it, as they
// read in the document now. Until that arrives (or if the passage is gone from the index) the text the draft was
// given is shown, said as such.
import type { DraftSource } from '../../../../shared/knowledge'
import { usePassage } from '../../hooks/usePassage'
import { sourceTitle, unwrapPassage } from '../../state/draft-sources'
import { Modal } from '../Modal'
import { OpenDocumentButton } from './OpenDocumentButton'

export function PassageDialog({ source, onClose }: { source: DraftSource; onClose(): void }) {
  const { context, error, gone } = usePassage(source.passageId)
  const note = gone
    ? 'This passage is no longer in the knowledge base (its document changed or was removed). This is the text the draft was given.'
    : error
      ? `The text around it could not be loaded. ${error}`
      : null
  return (
    <Modal
      title={`Source ${source.n}: ${sourceTitle(source)}`}
      onClose={onClose}
      size="wide"
      closeOnBackdrop
      testId="passage-dialog"
      footer={
        <>
          <OpenDocumentButton path={source.path} />
          <button type="button" className="button" onClick={onClose} data-autofocus>
            Close
          </button>
        </>
      }
    >
      <p className="passage-path mono small" data-testid="passage-path">
        {source.path}
      </p>
      {note && (
        <p className="muted small" role="status" data-testid="passage-note">
          {note}
        </p>
      )}
      {/* Focusable so the keyboard can scroll a long document. */}
      <div className="passage-context" tabIndex={0} role="region" aria-label="The passage in its document" data-loading={!context && !error}>
        {context?.before && <p className="passage-neighbour">{unwrapPassage(context.before)}</p>}
        <mark className="passage-text" data-testid="passage-text">
          {unwrapPassage(context?.passage.text ?? source.text)}
        </mark>
        {context?.after && <p className="passage-neighbour">{unwrapPassage(context.after)}</p>}
      </div>
    </Modal>
  )
}
