// The reply workspace: Gemini's draft streams in here (rendered Markdown, with a caret), then becomes the
// agent's editable reply. Draft/Regenerate and Stop share one fixed slot in the toolbar, so Stop is exactly
// where the agent just clicked and never moves while text streams. Errors show above the text, which stays.
import { useEffect, useRef, useState } from 'react'
import { MarkdownView } from '../markdown/MarkdownView'
import { useFollowScroll } from '../hooks/useFollowScroll'
import { describeDraftProblem } from '../state/draft-errors'
import { isDrafting, type DraftState } from '../state/draft-state'
import { isSubmitChord, withShortcut } from '../state/shortcuts'
import { DraftProblemBox } from './DraftProblemBox'
import { DraftStats } from './DraftStats'
import { Icon } from './Icon'

export interface DraftPanelProps {
  draft: DraftState
  /** The reply text the agent will use (the draft's text, or their edit of it). */
  text: string
  edited: boolean
  onTextChange(text: string): void
  onDraft(): void
  onStop(): void
  stopping: boolean
  onCopy(): void
  onUse(): void
  using: boolean
  useError: string | null
  onOpenSettings(): void
  /** Why drafting is not possible right now (no API key, nothing to reply to), or null. */
  draftBlocked: { reason: string; settings: boolean } | null
  mac: boolean
}

type Mode = 'preview' | 'edit'

const PHASE_LABEL: Record<DraftState['phase'], string> = { idle: 'No draft', starting: 'Waiting for Gemini…', streaming: 'Drafting…', ended: '' }
const STATUS_LABEL = { complete: 'Ready', stopped: 'Stopped', error: 'Failed', blocked: 'Blocked', interrupted: 'Interrupted' } as const

export function DraftPanel(props: DraftPanelProps) {
  const { draft, text, mac } = props
  const drafting = isDrafting(draft)
  const [mode, setMode] = useState<Mode>(text === '' ? 'edit' : 'preview')
  const editor = useRef<HTMLTextAreaElement>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const follow = useFollowScroll(scroller, draft.phase === 'streaming' ? draft.text : null)

  // A new or newly loaded draft is shown rendered (unless the agent is editing it); an empty panel is for writing.
  const { edited } = props
  useEffect(() => {
    if (draft.phase === 'streaming' || (draft.messageId !== null && !edited)) setMode('preview')
    // Only a change of draft decides this, not each keystroke of an edit.
  }, [draft.phase, draft.messageId])
  useEffect(() => {
    if (text === '' && !drafting) setMode('edit')
  }, [text, drafting])

  const problem = draft.phase === 'ended' ? describeDraftProblem(draft.status, draft.error) : null
  const hasDraft = draft.messageId !== null && draft.phase !== 'idle'
  const statusLabel = draft.phase === 'ended' && draft.status ? STATUS_LABEL[draft.status] : PHASE_LABEL[draft.phase]
  const canUse = text.trim() !== '' && !drafting && !props.using

  const draftButton = drafting ? (
    <button
      type="button"
      className="button button-stop toolbar-slot"
      onClick={props.onStop}
      disabled={props.stopping}
      title="Stop the draft (Esc)"
      data-testid="stop-button"
    >
      <Icon name="stop" />
      {props.stopping ? 'Stopping…' : 'Stop'}
    </button>
  ) : hasDraft ? (
    <button
      type="button"
      className="button toolbar-slot"
      onClick={props.onDraft}
      disabled={props.draftBlocked !== null}
      title={props.draftBlocked?.reason ?? withShortcut('Draft a new reply', 'draft', mac)}
      data-testid="regenerate-button"
    >
      <Icon name="refresh" />
      Regenerate
    </button>
  ) : (
    <button
      type="button"
      className="button button-primary toolbar-slot"
      onClick={props.onDraft}
      disabled={props.draftBlocked !== null}
      title={props.draftBlocked?.reason ?? withShortcut('Draft a reply with Gemini', 'draft', mac)}
      data-testid="draft-button"
    >
      <Icon name="sparkles" />
      Draft reply
    </button>
  )

  return (
    <aside className="draft-panel" aria-label="Reply draft" data-testid="draft-panel" data-phase={draft.phase} data-status={draft.status ?? ''}>
      <div className="draft-toolbar">
        <div className="draft-title">
          <h2>Reply</h2>
          {statusLabel && (
            <span className={`status-chip status-${draft.phase === 'ended' ? draft.status : draft.phase}`} data-testid="draft-status">
              {draft.phase === 'streaming' && <span className="pulse" aria-hidden="true" />}
              {statusLabel}
            </span>
          )}
          {props.edited && <span className="status-chip status-edited">Edited</span>}
        </div>
        <div className="draft-toolbar-actions">
          <button type="button" className="icon-button" aria-label="Copy reply" title="Copy reply" onClick={props.onCopy} disabled={text.trim() === ''} data-testid="copy-button">
            <Icon name="copy" />
          </button>
          {draftButton}
        </div>
      </div>

      {props.draftBlocked && !drafting && (
        <div className="draft-hint" data-testid="draft-blocked-hint">
          <span>{props.draftBlocked.reason}</span>
          {props.draftBlocked.settings && (
            <button type="button" className="link-button" onClick={props.onOpenSettings}>
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
      {problem && <DraftProblemBox problem={problem} onRetry={props.onDraft} onOpenSettings={props.onOpenSettings} retryDisabled={props.draftBlocked !== null} />}

      <div className="draft-body">
        {drafting || mode === 'preview' ? (
          <>
            <div
              ref={scroller}
              className="draft-preview-scroll"
              tabIndex={0}
              role="region"
              aria-label={drafting ? 'Draft, arriving' : 'Reply preview'}
              onScroll={follow.onScroll}
              onDoubleClick={() => {
                if (!drafting) setMode('edit')
              }}
            >
              {draft.phase === 'starting' ? (
                <div className="draft-waiting" data-testid="draft-waiting">
                  <span className="spinner" aria-hidden="true" />
                  Waiting for Gemini…
                </div>
              ) : (
                <MarkdownView text={drafting ? draft.text : text} streaming={draft.phase === 'streaming'} className="draft-preview" testId="draft-preview" />
              )}
            </div>
            {follow.detached && drafting && (
              <button type="button" className="jump-button" onClick={follow.jumpToLatest} data-testid="jump-to-latest">
                <Icon name="arrowDown" />
                Jump to latest
              </button>
            )}
          </>
        ) : (
          <>
            <label htmlFor="reply-editor" className="visually-hidden">
              Reply text
            </label>
            <textarea
              ref={editor}
              id="reply-editor"
              className="draft-editor"
              value={text}
              placeholder={props.draftBlocked ? 'Write the reply here.' : 'Draft a reply with Gemini, or write one here.'}
              data-testid="draft-editor"
              onChange={(e) => props.onTextChange(e.target.value)}
              onKeyDown={(e) => {
                if (isSubmitChord(e, mac)) {
                  e.preventDefault()
                  if (canUse) props.onUse()
                }
              }}
            />
          </>
        )}
      </div>

      <div className="draft-footer">
        <div className="segmented" role="group" aria-label="Reply view">
          <button type="button" aria-pressed={mode === 'preview' || drafting} onClick={() => setMode('preview')} disabled={drafting} data-testid="preview-mode-button">
            <Icon name="eye" />
            Preview
          </button>
          <button
            type="button"
            aria-pressed={mode === 'edit' && !drafting}
            onClick={() => {
              setMode('edit')
              requestAnimationFrame(() => editor.current?.focus())
            }}
            disabled={drafting}
            data-testid="edit-mode-button"
          >
            <Icon name="pencil" />
            Edit
          </button>
        </div>
        {props.useError && (
          <span className="field-error" role="alert" data-testid="use-reply-error">
            {props.useError}
          </span>
        )}
        <button
          type="button"
          className="button button-primary"
          onClick={props.onUse}
          disabled={!canUse}
          title={withShortcut('Save as the agent’s reply', 'use-reply', mac)}
          data-testid="use-reply-button"
        >
          <Icon name="check" />
          {props.using ? 'Saving…' : 'Use reply'}
        </button>
      </div>
    </aside>
  )
}
