// The reply workspace: Gemini's draft streams in here (rendered Markdown, with a caret), then becomes the
// agent's editable reply. Errors show above the text, which stays.
import { useRef } from 'react'
import type { Message } from '../../../../shared/domain'
import type { DraftControls } from '../../hooks/useDraft'
import { useFollowScroll } from '../../hooks/useFollowScroll'
import type { OfflineDraftControls } from '../../hooks/useOfflineDraft'
import type { ReplyControls } from '../../hooks/useReply'
import { useReplyMode } from '../../hooks/useReplyMode'
import type { RewriteControls } from '../../hooks/useRewrite'
import type { PlaceholderValues } from '../../state/snippet-placeholders'
import { FeedbackButtons } from '../conversation/FeedbackButtons'
import { isDrafting } from '../../state/draft-state'
import { DraftNotices } from './DraftNotices'
import { DraftSources } from './DraftSources'
import { DraftSourcesProvider } from './DraftSourcesProvider'
import { DraftToolbar } from './DraftToolbar'
import { ReplyEditor } from './ReplyEditor'
import { ReplyFooter } from './ReplyFooter'
import { OfflineDraftBar } from './OfflineDraftBar'
import { ReplyPreview } from './ReplyPreview'

export interface DraftPanelProps {
  draft: DraftControls
  reply: ReplyControls
  /** "Draft from knowledge base", offered when Gemini cannot draft. */
  offline: OfflineDraftControls
  steering: DraftSteering
}

/** Steering the reply: rewrite and undo, the saved draft shown (for feedback), what snippets' placeholders are filled with. */
export interface DraftSteering {
  rewrite: RewriteControls
  saved: Message | null
  placeholders: PlaceholderValues
}

export function DraftPanel({ draft: controls, reply, offline, steering }: DraftPanelProps) {
  const { draft } = controls
  const drafting = isDrafting(draft)
  const [mode, setMode] = useReplyMode(draft, reply.text, reply.edited)
  const editor = useRef<HTMLTextAreaElement>(null)
  // Here rather than in the preview, so following (or not) carries over when the preview is switched away and back.
  const scroller = useRef<HTMLDivElement>(null)
  const follow = useFollowScroll(scroller, draft.phase === 'streaming' ? draft.text : null)
  const canUse = reply.text.trim() !== '' && !drafting && !reply.using

  return (
    <aside className="draft-panel" aria-label="Reply draft" data-testid="draft-panel" data-phase={draft.phase} data-status={draft.status ?? ''}>
      <DraftSourcesProvider sources={draft.sources}>
        <DraftToolbar controls={controls} reply={reply} rewrite={steering.rewrite} />
        <DraftNotices draft={draft} reply={reply} />
        <OfflineDraftBar draft={draft} offline={offline} />
        <div className="draft-body">
          {drafting || mode === 'preview' ? (
            <ReplyPreview draft={draft} text={reply.text} scroller={scroller} follow={follow} onEdit={() => setMode('edit')} />
          ) : (
            <ReplyEditor
              ref={editor}
              text={reply.text}
              blocked={reply.blocked !== null}
              placeholders={steering.placeholders}
              onChange={reply.setText}
              onSubmit={() => {
                if (canUse) reply.use()
              }}
            />
          )}
        </div>
        <DraftSources />
        {steering.saved && !drafting && (
          <div className="draft-feedback-row">
            <span className="muted small">Was this draft good?</span>
            <FeedbackButtons key={steering.saved.id} messageId={steering.saved.id} feedback={steering.saved.feedback} />
          </div>
        )}
        <ReplyFooter
          mode={mode}
          drafting={drafting}
          canUse={canUse}
          reply={reply}
          onPreview={() => setMode('preview')}
          onEdit={() => {
            setMode('edit')
            requestAnimationFrame(() => editor.current?.focus())
          }}
        />
      </DraftSourcesProvider>
    </aside>
  )
}
