// Settings for integrations: the local endpoint's address and token, and the browser origins allowed to call it.
import { useRef } from 'react'
import type { SettingsSectionProps } from '../../state/settings-form'
import { Icon } from '../Icon'
import { CopyField } from './CopyField'
import { EndpointPortField } from './EndpointPortField'
import { FieldError } from './FieldError'

export function EndpointSection({ settings, values, onChange, errors, formId }: SettingsSectionProps) {
  const originInputs = useRef<(HTMLInputElement | null)[]>([])
  const { origins } = values
  return (
    <section className="settings-section" aria-labelledby={`${formId}-endpoint`}>
      <h3 id={`${formId}-endpoint`}>Local endpoint for integrations</h3>
      <p className="muted small">
        Integrations stream drafts from this address. The token is the console’s own key: it can do everything, settings included, so keep it private.
        Pages on other sites cannot use it; give each integration its own key below.
      </p>
      {settings.endpoint.url && <CopyField label="Address" value={settings.endpoint.url} testId="settings-endpoint-url" />}
      <EndpointPortField endpoint={settings.endpoint} />
      <CopyField label="Token" value={settings.endpoint.token} secret testId="settings-endpoint-token" />
      <div className="field">
        <span className="label" id={`${formId}-origins`}>
          Allowed browser origins
        </span>
        <p className="muted small" id={`${formId}-origins-hint`}>
          Web pages from these origins (like <code>https://helpdesk.example.com</code>) may call the endpoint. Others are refused.
        </p>
        <ul className="origin-list" aria-labelledby={`${formId}-origins`}>
          {origins.map((origin, i) => (
            <li key={i} className="input-row">
              <input
                ref={(el) => {
                  originInputs.current[i] = el
                }}
                aria-label={`Allowed origin ${i + 1}`}
                className="mono"
                value={origin}
                placeholder="https://helpdesk.example.com"
                spellCheck={false}
                aria-invalid={!!errors.allowedOrigins}
                data-testid="settings-origin-input"
                onChange={(e) => onChange({ origins: origins.map((o, j) => (j === i ? e.target.value : o)) })}
              />
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove origin ${origin || i + 1}`}
                data-testid="settings-remove-origin-button"
                onClick={() => onChange({ origins: origins.filter((_, j) => j !== i) })}
              >
                <Icon name="x" />
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="button"
          data-testid="settings-add-origin-button"
          onClick={() => {
            onChange({ origins: [...origins, ''] })
            requestAnimationFrame(() => originInputs.current[origins.length]?.focus())
          }}
        >
          <Icon name="plus" />
          Add origin
        </button>
        <FieldError formId={formId} errors={errors} field="allowedOrigins" />
      </div>
    </section>
  )
}
