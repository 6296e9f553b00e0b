// Integration keys: listed, created and revoked from Settings; and, for the local server, which decides who is
// calling, the key a secret belongs to and word of its revocation (not part of the renderer contract).
import { ApiError, type Dispose } from '../../../shared/api'
import type { CreatedIntegrationKey, IntegrationKeyView, NewIntegrationKey } from '../../../shared/integration-keys'
import { IntegrationKeyNameTaken, IntegrationKeys } from '../config/integration-keys'
import type { ApiServiceDeps } from './api-deps'

export class IntegrationKeysApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'integrationKeys'>) {}

  async listIntegrationKeys(): Promise<IntegrationKeyView[]> {
    return this.#keys().list()
  }

  async createIntegrationKey(input: NewIntegrationKey): Promise<CreatedIntegrationKey> {
    const keys = this.#keys()
    return keysCall(() => keys.create(input))
  }

  async revokeIntegrationKey(id: string): Promise<void> {
    const keys = this.#keys()
    if (!keysCall(() => keys.revoke(id))) throw new ApiError('not-found', `There is no integration key ${id}; it may have been revoked already.`)
  }

  /** The integration key a presented secret belongs to (its last-used time updated); undefined for anything else. */
  authenticateIntegrationKey(secret: string): IntegrationKeyView | undefined {
    const keys = this.deps.integrationKeys
    return keys instanceof IntegrationKeys ? keys.authenticate(secret) : undefined
  }

  /** Calls `listener` when the integration key `id` is revoked, so a stream it opened can end; returns the Dispose. */
  onIntegrationKeyRevoked(id: string, listener: () => void): Dispose {
    const keys = this.deps.integrationKeys
    if (!(keys instanceof IntegrationKeys)) return () => {}
    return keys.onRevoke((revoked) => {
      if (revoked === id) listener()
    })
  }

  #keys(): IntegrationKeys {
    const keys = this.deps.integrationKeys
    if (keys instanceof IntegrationKeys) return keys
    throw new ApiError('unavailable', `Integration keys are unavailable: ${keys.message}`)
  }
}

/** The key store's refusals as ApiErrors; a file that cannot be written is 'unavailable', naming the file (in fs's message). */
function keysCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError('invalid-input', error.message)
    if (error instanceof IntegrationKeyNameTaken) throw new ApiError('conflict', error.message)
    if (error instanceof Error && 'code' in error) throw new ApiError('unavailable', `The integration keys could not be saved: ${error.message}`)
    throw error
  }
}
