// The conversation's summary at the top of the conversation: the customer's issue, what was promised and the
// open questions, as the model wrote them. Streams in when asked for (with Stop), then shows the saved one;
// it can be folded away.
import { useId, useState } from 'react'
import type { SummaryControls } from '../../hooks/useSummary'
import { MarkdownView } from '../../markdown/MarkdownView'
import { Icon } from '../Icon'

export interface SummaryPanelProps {
  /** The saved summary (Conversation.summary). */
  saved: string | null
  controls: SummaryControls
}

export function SummaryPanel({ saved, controls }: SummaryPanelProps) {
  const [open, setOpen] = useState(true)
  const bodyId = useId()
  const { summary, summarizing } = controls
  const failed = summary.phase === 'ended' && summary.status !== 'complete' ? (summary.error ?? 'The summary did not finish.') : null
  if (!summarizing && !saved && !failed) return null

  return (
    <section className="summary-panel" aria-label="Conversation summary" data-testid="summary-panel" data-phase={summary.phase}>
      <div className="summary-panel-header">
        <button type="button" className="summary-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
          <Icon name="chevronDown" className={open ? undefined : 'is-folded'} />
          <Icon name="summary" />
          <span>{summarizing ? 'Summarizing…' : 'Summary'}</span>
        </button>
        {summarizing && (
          <button type="button" className="button button-stop button-small" onClick={() => controls.stop()} data-testid="summary-stop-button">
            <Icon name="stop" />
            Stop
          </button>
        )}
      </div>
      {open && (
        <div id={bodyId} className="summary-panel-body" data-testid="summary-text" aria-busy={summarizing}>
          {summarizing ? (
            summary.text ? (
              <MarkdownView text={summary.text} streaming />
            ) : (
              <p className="muted">
                <span className="spinner" aria-hidden="true" /> Waiting for Gemini…
              </p>
            )
          ) : (
            saved && <MarkdownView text={saved} />
          )}
          {failed && !summarizing && (
            <p className="field-error" role="alert" data-testid="summary-error">
              {failed}
            </p>
          )}
        </div>
      )}
    </section>
  )
}
