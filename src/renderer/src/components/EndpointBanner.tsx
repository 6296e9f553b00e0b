import type { EndpointView } from '../../../shared/api'
import { useDialogs } from '../context/dialogs'
import { endpointNotice } from '../state/endpoint'
import { Icon } from './Icon'

/**
 * The desktop app runs without its local endpoint when the port is taken (its window needs only IPC); this says
 * so, since integrations then fail, and leads to Settings to choose another port.
 */
export function EndpointBanner({ endpoint }: { endpoint: EndpointView }) {
  const { openSettings } = useDialogs()
  const notice = endpointNotice(endpoint)
  if (!notice) return null
  return (
    <div className="banner banner-warning" role="region" aria-label="Local endpoint off" data-testid="endpoint-banner">
      <Icon name="alert" size={18} />
      <p>
        <strong>{notice.title}</strong> {notice.detail}
      </p>
      <button type="button" className="button button-primary" onClick={() => openSettings()} data-testid="endpoint-settings-button">
        {notice.action}
      </button>
    </div>
  )
}
