// Integration keys: what a helpdesk page, a CRM plugin or a script holds instead of the console's own token.
// Each key has a name (saved as the source of the drafts it starts) and scopes; none can change settings or keys.
import { z } from 'zod'
import { MAX_KEY_CONCURRENT_STREAMS, MAX_KEY_REQUESTS_PER_MINUTE, MAX_SOURCE_CHARS } from './limits'

export const INTEGRATION_SCOPES = ['stream', 'read', 'export'] as const
export type IntegrationScope = (typeof INTEGRATION_SCOPES)[number]

/**
 * Who may call a route: the console's own session only, or also an integration key holding every one of these
 * scopes (the console's session may always). Declared with each API method (api-contract.ts) and streaming route.
 */
export type Access = 'console' | { scopes: readonly IntegrationScope[] }

/** What each scope allows, in the words Settings shows. */
export const SCOPE_DESCRIPTIONS: Record<IntegrationScope, string> = {
  stream: 'Start drafts (/chat/stream) and resume their streams',
  read: 'List and read transcripts and follow their live drafts (with stream: continue a conversation)',
  export: 'Export transcripts as files',
}

/** A key as listed: everything but the secret, which is shown once, when it is created. */
export interface IntegrationKeyView {
  id: string
  name: string
  scopes: IntegrationScope[]
  /** The key's first characters, so a person can tell keys apart; not enough to use it. */
  prefix: string
  createdAt: string
  lastUsedAt: string | null
  /** The limits set for this key when it was created; any not set is the default (limits.ts DEFAULT_KEY_*). */
  limits?: IntegrationKeyLimits
}

/** A key's own rate limits: requests a minute, and streams (SSE or a running OpenAI-compatible request) open at once. */
export interface IntegrationKeyLimits {
  requestsPerMinute?: number
  concurrentStreams?: number
}

export interface CreatedIntegrationKey {
  key: IntegrationKeyView
  /** The secret itself: shown this once and never stored in clear. */
  secret: string
}

export const integrationKeyName = z
  .string({ message: 'name is required' })
  .trim()
  .min(1, 'name must not be empty')
  .max(MAX_SOURCE_CHARS, `name is longer than ${MAX_SOURCE_CHARS} characters`)
  .regex(/^[\p{L}\p{N} ._:/@+-]+$/u, 'name may hold letters, digits, spaces and . _ : / @ + - only')

export const integrationScopes = z
  .array(z.enum(INTEGRATION_SCOPES, { message: `each scope must be one of ${INTEGRATION_SCOPES.join(', ')}` }))
  .min(1, 'give the key at least one scope')
  .max(INTEGRATION_SCOPES.length)
  .transform((scopes) => INTEGRATION_SCOPES.filter((scope) => scopes.includes(scope)))

export const integrationKeyLimits = z
  .object({
    requestsPerMinute: z
      .number({ message: 'requestsPerMinute must be a number' })
      .int('requestsPerMinute must be a whole number')
      .min(1, 'requestsPerMinute must be at least 1')
      .max(MAX_KEY_REQUESTS_PER_MINUTE, `requestsPerMinute must be at most ${MAX_KEY_REQUESTS_PER_MINUTE}`)
      .optional(),
    concurrentStreams: z
      .number({ message: 'concurrentStreams must be a number' })
      .int('concurrentStreams must be a whole number')
      .min(1, 'concurrentStreams must be at least 1')
      .max(MAX_KEY_CONCURRENT_STREAMS, `concurrentStreams must be at most ${MAX_KEY_CONCURRENT_STREAMS}`)
      .optional(),
  })
  .strict()

export const newIntegrationKey = z.object({ name: integrationKeyName, scopes: integrationScopes, limits: integrationKeyLimits.optional() }).strict()
export type NewIntegrationKey = z.input<typeof newIntegrationKey>

export const integrationKeyId = z.string().regex(/^[a-f0-9]{16}$/, 'not an integration key id')
