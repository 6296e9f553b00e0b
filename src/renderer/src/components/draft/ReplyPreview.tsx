// The reply rendered: the draft as it streams in (kept at its end while the agent stays there), or the
// finished reply. A double click switches to editing.
import type { RefObject } from 'react'
import type { FollowScroll } from '../../hooks/useFollowScroll'
import { MarkdownView } from '../../markdown/MarkdownView'
import { isDrafting, type DraftState } from '../../state/draft-state'
import { Icon } from '../Icon'

export interface ReplyPreviewProps {
  draft: DraftState
  /** The reply as the agent will use it (shown once the draft has ended). */
  text: string
  /** The scrolling element, followed by `follow` (both owned by the panel). */
  scroller: RefObject<HTMLDivElement | null>
  follow: FollowScroll
  onEdit(): void
}

export function ReplyPreview({ draft, text, scroller, follow, onEdit }: ReplyPreviewProps) {
  const drafting = isDrafting(draft)
  return (
    <>
      <div
        ref={scroller}
        className="draft-preview-scroll"
        tabIndex={0}
        role="region"
        aria-label={drafting ? 'Draft, arriving' : 'Reply preview'}
        onScroll={follow.onScroll}
        onDoubleClick={() => {
          if (!drafting) onEdit()
        }}
      >
        {draft.phase === 'starting' ? (
          <div className="draft-waiting" data-testid="draft-waiting">
            <span className="spinner" aria-hidden="true" />
            Waiting for Gemini…
          </div>
        ) : (
          <MarkdownView
            text={drafting ? draft.text : text}
            streaming={draft.phase === 'streaming'}
            className="draft-preview"
            testId="draft-preview"
          />
        )}
        {/* Where a cut-off draft's text stops, so its last line never reads as a finished reply (until the agent edits it). */}
        {draft.phase === 'ended' && draft.status === 'truncated' && text === draft.text && (
          <p className="draft-cut-marker" data-testid="draft-cut-marker">
            {draft.truncation?.reason === 'length'
              ? 'Cut off here: the rest of the reply is missing.'
              : 'Ended here: the rest of the reply may be missing.'}
          </p>
        )}
      </div>
      {follow.detached && drafting && (
        <button type="button" className="jump-button" onClick={follow.jumpToLatest} data-testid="jump-to-latest">
          <Icon name="arrowDown" />
          Jump to latest
        </button>
      )}
    </>
  )
}
