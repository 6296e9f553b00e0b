// What the console tells the agent about the local endpoint for integrations: the banner while it is off (the
// desktop app runs on without it when its port is taken), and the port field in Settings. Pure: unit-tested.
import type { EndpointView } from '../../../shared/api'
import { MAX_PORT } from '../../../shared/limits'
import { settingsUpdate } from '../../../shared/schemas'

export interface EndpointNotice {
  title: string
  detail: string
  /** The label of the button that opens Settings. */
  action: string
}

/** The banner's words while the endpoint is off; null while it listens. */
export function endpointNotice(endpoint: EndpointView): EndpointNotice | null {
  if (endpoint.status === 'listening') return null
  const problem = endpoint.problem ?? 'It could not be started.'
  if (endpoint.portFixedBy === 'environment') {
    return {
      title: 'The local endpoint for integrations is off.',
      detail: `${problem} SUPPORT_CONSOLE_PORT sets the port: free it and retry in Settings, or change the variable and restart.`,
      action: 'Open Settings',
    }
  }
  return {
    title: 'The local endpoint for integrations is off.',
    detail: `${problem} Choose another port in Settings.`,
    action: 'Choose another port',
  }
}

/** The line under the port field: where integrations reach the console now, or why they cannot. */
export function endpointStatusText(endpoint: EndpointView): string {
  return endpoint.url ? `Listening at ${endpoint.url}.` : `Off: ${endpoint.problem ?? 'the endpoint could not be started.'}`
}

/** How the port can be changed here, said next to the field. */
export function portHint(endpoint: EndpointView): string {
  switch (endpoint.portFixedBy) {
    case 'environment':
      return 'Set by SUPPORT_CONSOLE_PORT, which wins over Settings. Retry listens on it again once it is free.'
    case 'web-console':
      return 'This console is served from this port. To move it, set "port" in settings.json or SUPPORT_CONSOLE_PORT, then restart.'
    default:
      return 'Applied at once; integrations then use the new address. 0 picks any free port.'
  }
}

/**
 * The port field's button: 'Apply' for a new port, 'Retry' for the same one while the endpoint is off, none
 * when there is nothing it could do (listening on that port already, or a port Settings cannot change).
 */
export function portAction(endpoint: EndpointView, typed: string): 'Apply' | 'Retry' | null {
  if (endpoint.portFixedBy === 'web-console') return null
  const same = typed.trim() === String(endpoint.port)
  if (same) return endpoint.status === 'unavailable' ? 'Retry' : null
  return endpoint.portFixedBy === 'environment' ? null : 'Apply'
}

/** The typed port, checked by the schema main uses; digits only, so "80.5" or "1e3" never become a port. */
export function parsePort(typed: string): { port: number } | { error: string } {
  const text = typed.trim()
  if (!/^\d{1,5}$/.test(text)) return { error: `Enter a port from 0 to ${MAX_PORT} (0 picks any free port).` }
  const checked = settingsUpdate.safeParse({ port: Number(text) })
  if (!checked.success) return { error: checked.error.issues[0]?.message ?? 'That is not a port.' }
  return { port: Number(text) }
}
