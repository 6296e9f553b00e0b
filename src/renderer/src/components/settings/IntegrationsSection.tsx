// Settings → Integrations: the named keys a helpdesk page, a CRM plugin or a script holds instead of the console's
// own token. Keys are created and revoked at once (Save is for the form above). A new key's secret lives only in
// this component's state, until the agent dismisses it or Settings closes (unmounting this drops it).
import { useCallback, useEffect, useId, useState } from 'react'
import type { IntegrationKeyView } from '../../../../shared/integration-keys'
import { useApi } from '../../api/api-context'
import { describeError } from '../../api/errors'
import { useNotices } from '../../context/notices'
import { withKey, withoutKey, type NewKeyValues } from '../../state/integration-keys'
import { IntegrationKeyList } from './IntegrationKeyList'
import { LoadState } from './LoadState'
import { NewIntegrationKeyForm } from './NewIntegrationKeyForm'
import { NewKeySecret } from './NewKeySecret'

export function IntegrationsSection() {
  const api = useApi()
  const { toast } = useNotices()
  const headingId = useId()
  const [keys, setKeys] = useState<IntegrationKeyView[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null)
  const [secretDismissed, setSecretDismissed] = useState(false)

  const load = useCallback(() => {
    let current = true
    setLoadError(null)
    api.listIntegrationKeys().then(
      (list) => current && setKeys(list),
      (error: unknown) => current && setLoadError(describeError(error)),
    )
    return () => {
      current = false
    }
  }, [api])
  useEffect(load, [load])

  // Rejections reach the form, which shows them beside itself and keeps what was typed.
  const create = async (input: NewKeyValues): Promise<void> => {
    const { key, secret } = await api.createIntegrationKey(input)
    // A list that never loaded stays unloaded: showing only the new key would pass for the whole list.
    setKeys((list) => list && withKey(list, key))
    setCreated({ name: key.name, secret })
  }

  // Rejections reach the list, which keeps the key on screen and says why.
  const revoke = async (key: IntegrationKeyView): Promise<void> => {
    await api.revokeIntegrationKey(key.id)
    setKeys((list) => list && withoutKey(list, key.id))
    toast(`Integration key “${key.name}” revoked`, 'success')
  }

  const dismissSecret = (): void => {
    setCreated(null)
    setSecretDismissed(true)
  }

  return (
    <section className="settings-section" aria-labelledby={headingId} data-testid="settings-integrations">
      <h3 id={headingId}>Integrations</h3>
      <p className="muted small">
        A helpdesk page on an allowed origin, a CRM plugin or a script uses an <strong>integration key</strong>: the console’s own token is refused
        when it comes from another site’s page. Each key does only what its scopes allow, and no key can ever change settings or keys. Keys are
        created and revoked at once; Save is not needed.
      </p>
      {keys ? (
        <IntegrationKeyList keys={keys} onRevoke={revoke} />
      ) : (
        <LoadState what="the integration keys" error={loadError} onRetry={load} testId="integration-keys-load-error" />
      )}
      {created ? (
        <NewKeySecret name={created.name} secret={created.secret} onDone={dismissSecret} />
      ) : (
        <NewIntegrationKeyForm onCreate={create} focusName={secretDismissed} />
      )}
    </section>
  )
}
