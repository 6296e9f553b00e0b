import { fieldErrorId, type FieldErrors, type SettingsField } from '../../state/settings-form'

/** A field's problem, under it (its id is in the field's aria-describedby). */
export function FieldError({ formId, errors, field }: { formId: string; errors: FieldErrors; field: SettingsField }) {
  const error = errors[field]
  if (!error) return null
  return (
    <p className="field-error" id={fieldErrorId(formId, field)} data-testid={`settings-${field}-error`}>
      {error}
    </p>
  )
}
