// Settings → Integrations, the pure part: how a key's scopes and times read in the list, the "New integration
// key" form's values and their check (with the schema main uses, so mistakes are shown before asking), and the
// list after a create or a revoke. Unit-tested under Node (test/renderer/integration-keys.test.ts).
import {
  INTEGRATION_SCOPES,
  integrationKeyName,
  integrationScopes,
  type IntegrationKeyView,
  type IntegrationScope,
} from '../../../shared/integration-keys'
import { relativeTime } from './format-time'

/** Each scope in a few words, as the list shows it ("stream drafts, read transcripts"). */
export const SCOPE_WORDS: Record<IntegrationScope, string> = {
  stream: 'stream drafts',
  read: 'read transcripts',
  export: 'export',
}

/** The scopes in the canonical order, as words; a key always has at least one. */
export function scopesInWords(scopes: readonly IntegrationScope[]): string {
  return INTEGRATION_SCOPES.filter((scope) => scopes.includes(scope))
    .map((scope) => SCOPE_WORDS[scope])
    .join(', ')
}

/** "never" for a key no request has used yet, else when it was last used ("5 min ago", "Yesterday"). */
export function lastUsedText(lastUsedAt: string | null, now: Date, locale?: string): string {
  if (lastUsedAt === null) return 'never'
  return relativeTime(lastUsedAt, now, locale) || 'unknown'
}

export interface NewKeyValues {
  name: string
  scopes: IntegrationScope[]
}

export type NewKeyField = 'name' | 'scopes'
export type NewKeyErrors = Partial<Record<NewKeyField, string>>

/** The form's scopes with `scope` ticked or cleared, always in the canonical order. */
export function withScope(scopes: readonly IntegrationScope[], scope: IntegrationScope, on: boolean): IntegrationScope[] {
  return INTEGRATION_SCOPES.filter((s) => (s === scope ? on : scopes.includes(s)))
}

/** The request to send, or each field's first problem in words a person can act on. */
export function checkNewKey(values: NewKeyValues): { input: NewKeyValues } | { errors: NewKeyErrors } {
  const name = integrationKeyName.safeParse(values.name)
  const scopes = integrationScopes.safeParse(values.scopes)
  if (name.success && scopes.success) return { input: { name: name.data, scopes: scopes.data } }
  const errors: NewKeyErrors = {}
  if (!name.success) errors.name = sentence(name.error.issues[0]?.message ?? 'the name is not valid')
  if (!scopes.success) errors.scopes = sentence(scopes.error.issues[0]?.message ?? 'choose at least one scope')
  return { errors }
}

// The shared schemas speak in API terms ("name must not be empty"); the form shows them as sentences.
const sentence = (message: string): string => `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`

/** The list with a newly created key added (or replaced, if the list was reloaded meanwhile), oldest first. */
export function withKey(keys: readonly IntegrationKeyView[], key: IntegrationKeyView): IntegrationKeyView[] {
  return [...keys.filter((k) => k.id !== key.id), key].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

/** The list without a revoked key. */
export function withoutKey(keys: readonly IntegrationKeyView[], id: string): IntegrationKeyView[] {
  return keys.filter((k) => k.id !== id)
}
