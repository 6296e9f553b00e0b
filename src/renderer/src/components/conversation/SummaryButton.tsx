// "Summarize" in the conversation header: asks Gemini for a summary of the conversation so far.
import { useSettings } from '../../context/settings'
import type { SummaryControls } from '../../hooks/useSummary'
import { Icon } from '../Icon'

export function SummaryButton({ controls, empty }: { controls: SummaryControls; empty: boolean }) {
  const { settings } = useSettings()
  const noKey = settings !== null && !settings.apiKey.present
  const why = noKey ? 'Add a Gemini API key in Settings to summarize.' : empty ? 'Nothing to summarize yet.' : null
  return (
    <button
      type="button"
      className="icon-button"
      aria-label="Summarize conversation"
      title={why ?? 'Summarize: the customer’s issue, what was promised, open questions'}
      disabled={why !== null || controls.summarizing}
      onClick={controls.summarize}
      data-testid="summarize-button"
    >
      <Icon name="summary" />
    </button>
  )
}
