import { useDialogs } from '../context/dialogs'
import { Icon } from './Icon'

/** Without an API key everything but drafting works; this says so and leads to the fix. */
export function ApiKeyBanner() {
  const { openSettings } = useDialogs()
  return (
    <div className="banner banner-warning" role="region" aria-label="API key missing" data-testid="api-key-banner">
      <Icon name="key" size={18} />
      <p>
        <strong>No Gemini API key yet.</strong> You can review and search transcripts; to draft replies, add a key in Settings (or start Support
        Console with <code>GEMINI_API_KEY</code> set).
      </p>
      <button type="button" className="button button-primary" onClick={() => openSettings(true)} data-testid="add-api-key-button">
        Add API key
      </button>
    </div>
  )
}
