// The endpoint's port. Applied at once, apart from Save: moving the server is an action whose result (the new
// address, or why the port cannot be used) the agent should see before closing Settings.
import { useId, useState, type KeyboardEvent } from 'react'
import type { EndpointView } from '../../../../shared/api'
import { describeError } from '../../api/errors'
import { useSettings } from '../../context/settings'
import { endpointStatusText, parsePort, portAction, portHint } from '../../state/endpoint'

export function EndpointPortField({ endpoint }: { endpoint: EndpointView }) {
  const { save } = useSettings()
  const id = useId()
  const [typed, setTyped] = useState(String(endpoint.port))
  const [error, setError] = useState<string | null>(null)
  const [applying, setApplying] = useState(false)
  const action = portAction(endpoint, typed)
  const editable = endpoint.portFixedBy === null

  const apply = async (): Promise<void> => {
    const parsed = parsePort(typed)
    if ('error' in parsed) {
      setError(parsed.error)
      return
    }
    setError(null)
    setApplying(true)
    try {
      await save({ port: parsed.port })
    } catch (e) {
      setError(describeError(e))
    } finally {
      setApplying(false)
    }
  }

  // Enter applies the port rather than submitting (and closing) the whole Settings form.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key !== 'Enter') return
    event.preventDefault()
    if (action && !applying) void apply()
  }

  return (
    <div className="field">
      <label htmlFor={id}>Port</label>
      <div className="input-row">
        <input
          id={id}
          className="mono port-input"
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          readOnly={!editable}
          aria-invalid={!!error}
          aria-describedby={[error ? `${id}-error` : null, `${id}-status`, `${id}-hint`].filter(Boolean).join(' ')}
          data-testid="settings-port-input"
          onChange={(e) => {
            setTyped(e.target.value)
            setError(null)
          }}
          onKeyDown={onKeyDown}
        />
        {action && (
          <button type="button" className="button" disabled={applying} onClick={() => void apply()} data-testid="settings-port-apply-button">
            {applying ? 'Applying…' : action}
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert" data-testid="settings-port-error">
          {error}
        </p>
      )}
      <p id={`${id}-status`} role="status" className={endpoint.url ? 'small' : 'small endpoint-off'} data-testid="settings-endpoint-status">
        {endpointStatusText(endpoint)}
      </p>
      <p className="muted small" id={`${id}-hint`}>
        {portHint(endpoint)}
      </p>
    </div>
  )
}
