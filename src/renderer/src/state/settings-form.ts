// The Settings form's values, the update they make (only what changed), and its check with the same
// schema main uses, so most mistakes are shown next to their field before saving. Pure: unit-tested under Node.
import type { SettingsUpdate, SettingsView } from '../../../shared/api'
import { settingsUpdate } from '../../../shared/schemas'

export type SettingsField = 'apiKey' | 'model' | 'systemInstruction' | 'allowedOrigins'
export type FieldErrors = Partial<Record<SettingsField, string>>

export interface SettingsFormValues {
  /** A new key to save ('' keeps the saved one). */
  apiKey: string
  removeKey: boolean
  model: string
  persona: string
  origins: string[]
}

/** What each section of the form works with. */
export interface SettingsSectionProps {
  settings: SettingsView
  values: SettingsFormValues
  onChange(change: Partial<SettingsFormValues>): void
  errors: FieldErrors
  /** Prefix of the ids that tie labels, hints and errors to their fields. */
  formId: string
}

export function initialFormValues(settings: SettingsView): SettingsFormValues {
  return { apiKey: '', removeKey: false, model: settings.model, persona: settings.systemInstruction, origins: settings.allowedOrigins }
}

export function buildSettingsUpdate(settings: SettingsView, values: SettingsFormValues): SettingsUpdate {
  const update: SettingsUpdate = {}
  if (settings.apiKey.storage !== 'environment') {
    if (values.removeKey) update.apiKey = null
    else if (values.apiKey.trim() !== '') update.apiKey = values.apiKey.trim()
  }
  if (values.model.trim() !== settings.model) update.model = values.model.trim()
  if (values.persona !== settings.systemInstruction) update.systemInstruction = values.persona
  const cleaned = values.origins.map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== '')
  if (cleaned.join('\n') !== settings.allowedOrigins.join('\n')) update.allowedOrigins = cleaned
  return update
}

/** The first problem with each field, or null when the update is valid. */
export function checkSettingsUpdate(update: SettingsUpdate): FieldErrors | null {
  const checked = settingsUpdate.safeParse(update)
  if (checked.success) return null
  const found: FieldErrors = {}
  for (const issue of checked.error.issues) {
    const field = issue.path[0] as SettingsField | undefined
    if (field && !found[field]) found[field] = issue.message
  }
  return found
}

export const fieldErrorId = (formId: string, field: SettingsField): string => `${formId}-${field}-error`

/** aria-describedby for a field: its error (when it has one), then its hint. */
export function describedBy(formId: string, errors: FieldErrors, field: SettingsField, hint?: string): string | undefined {
  return [errors[field] ? fieldErrorId(formId, field) : null, hint].filter(Boolean).join(' ') || undefined
}
