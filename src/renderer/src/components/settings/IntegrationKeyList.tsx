// The integration keys, without their secrets: name, scopes, prefix, created, last used, and Revoke (after a
// confirmation; a failed revoke leaves the key listed and says why beside it).
import { useId, useRef, useState } from 'react'
import type { IntegrationKeyView } from '../../../../shared/integration-keys'
import { describeError } from '../../api/errors'
import { useNow } from '../../context/clock'
import { fullTime } from '../../state/format-time'
import { lastUsedText, scopesInWords } from '../../state/integration-keys'
import { ConfirmDialog } from '../ConfirmDialog'

// React passes a dialog's cancel (Escape) on to the dialogs it is rendered in, so Escape in the confirmation would
// close Settings too. Stopped around it here; React types onCancel for <dialog> only, hence the spread.
export interface IntegrationKeyListProps {
  keys: IntegrationKeyView[]
  /** Revokes the key; rejects with the API's error. */
  onRevoke(key: IntegrationKeyView): Promise<void>
}

export function IntegrationKeyList({ keys, onRevoke }: IntegrationKeyListProps) {
  const headingId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const [confirming, setConfirming] = useState<IntegrationKeyView | null>(null)
  const [revoking, setRevoking] = useState<string | null>(null)
  const [error, setError] = useState<{ id: string; text: string } | null>(null)

  const revoke = async (key: IntegrationKeyView): Promise<void> => {
    setConfirming(null)
    setError(null)
    setRevoking(key.id)
    try {
      await onRevoke(key)
      // Its row (and the focused button) is gone: keep keyboard focus in the section, not lost to the page.
      heading.current?.focus()
    } catch (e) {
      setError({ id: key.id, text: `“${key.name}” was not revoked. ${describeError(e)}` })
    } finally {
      setRevoking(null)
    }
  }

  return (
    <div className="field">
      <h4 className="label" id={headingId} ref={heading} tabIndex={-1}>
        Integration keys
      </h4>
      {keys.length === 0 ? (
        <p className="muted small" data-testid="integration-keys-empty">
          No integration keys yet.
        </p>
      ) : (
        <ul className="integration-key-list" aria-labelledby={headingId}>
          {keys.map((key) => (
            <IntegrationKeyRow
              key={key.id}
              item={key}
              revoking={revoking === key.id}
              error={error?.id === key.id ? error.text : null}
              onRevoke={() => setConfirming(key)}
            />
          ))}
        </ul>
      )}
      {confirming && (
        <ConfirmDialog
          title="Revoke integration key?"
          message={`“${confirming.name}” stops working at once: every page or script using it is refused from its next request. This cannot be undone.`}
          confirmLabel="Revoke key"
          danger
          onConfirm={() => void revoke(confirming)}
          onCancel={() => setConfirming(null)}
          testId="revoke-key-dialog"
        />
      )}
    </div>
  )
}

interface IntegrationKeyRowProps {
  item: IntegrationKeyView
  revoking: boolean
  error: string | null
  onRevoke(): void
}

function IntegrationKeyRow({ item, revoking, error, onRevoke }: IntegrationKeyRowProps) {
  const now = useNow()
  const errorId = useId()
  return (
    <li className="integration-key" data-testid="integration-key-row" data-key-id={item.id}>
      <div className="integration-key-head">
        <span className="integration-key-name">{item.name}</span>
        <button
          type="button"
          className="button button-danger-quiet"
          aria-label={`Revoke ${item.name}`}
          aria-describedby={error ? errorId : undefined}
          disabled={revoking}
          data-testid="integration-key-revoke-button"
          onClick={onRevoke}
        >
          {revoking ? 'Revoking…' : 'Revoke'}
        </button>
      </div>
      <dl className="integration-key-facts small">
        <dt>Scopes</dt>
        <dd data-testid="integration-key-scopes">{scopesInWords(item.scopes)}</dd>
        <dt>Prefix</dt>
        <dd className="mono">{item.prefix}…</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={item.createdAt}>{fullTime(item.createdAt)}</time>
        </dd>
        <dt>Last used</dt>
        <dd data-testid="integration-key-last-used">
          {item.lastUsedAt ? (
            <time dateTime={item.lastUsedAt} title={fullTime(item.lastUsedAt)}>
              {lastUsedText(item.lastUsedAt, now)}
            </time>
          ) : (
            lastUsedText(null, now)
          )}
        </dd>
      </dl>
      {error && (
        <p className="field-error" id={errorId} role="alert" data-testid="integration-key-revoke-error">
          {error}
        </p>
      )}
    </li>
  )
}
