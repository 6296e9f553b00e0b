// "New integration key": a name and a checkbox per scope, checked with main's schema before asking; whatever the
// API still refuses is said beside the form, and what was typed is kept. A form of its own, outside the settings
// form, so Enter here creates a key and never saves settings.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { INTEGRATION_SCOPES, SCOPE_DESCRIPTIONS } from '../../../../shared/integration-keys'
import { MAX_SOURCE_CHARS } from '../../../../shared/limits'
import { describeError } from '../../api/errors'
import { checkNewKey, SCOPE_WORDS, withScope, type NewKeyErrors, type NewKeyValues } from '../../state/integration-keys'
import { Icon } from '../Icon'

export interface NewIntegrationKeyFormProps {
  /** Creates the key; rejects with the API's error. */
  onCreate(input: NewKeyValues): Promise<void>
  /** Put the cursor in Name (the form came back after a secret was dismissed: focus must not be lost). */
  focusName: boolean
}

export function NewIntegrationKeyForm({ onCreate, focusName }: NewIntegrationKeyFormProps) {
  const id = useId()
  const nameField = useRef<HTMLInputElement>(null)
  const [values, setValues] = useState<NewKeyValues>({ name: '', scopes: [] })
  const [errors, setErrors] = useState<NewKeyErrors>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)

  useEffect(() => {
    if (focusName) nameField.current?.focus()
  }, [focusName])

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setFailure(null)
    const checked = checkNewKey(values)
    if ('errors' in checked) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setCreating(true)
    try {
      // On success this form is replaced by the secret, so its state needs no reset.
      await onCreate(checked.input)
    } catch (error) {
      setFailure(`The key was not created. ${describeError(error)}`)
      setCreating(false)
    }
  }

  const ids = {
    name: `${id}-name`,
    nameError: `${id}-name-error`,
    scopes: `${id}-scopes`,
    scopesError: `${id}-scopes-error`,
    failure: `${id}-failure`,
  }
  return (
    <form className="new-key-form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)} noValidate data-testid="new-key-form">
      <h4 className="label" id={`${id}-title`}>
        New integration key
      </h4>
      <div className="field">
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          ref={nameField}
          value={values.name}
          maxLength={MAX_SOURCE_CHARS}
          placeholder="Helpdesk"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={!!errors.name}
          aria-describedby={[errors.name ? ids.nameError : null, `${id}-name-hint`].filter(Boolean).join(' ')}
          data-testid="new-key-name-input"
          onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
        />
        <p className="muted small" id={`${id}-name-hint`}>
          Drafts this key starts are saved with this name as their source.
        </p>
        {errors.name && (
          <p className="field-error" id={ids.nameError} data-testid="new-key-name-error">
            {errors.name}
          </p>
        )}
      </div>
      <fieldset className="scope-choices" aria-describedby={errors.scopes ? ids.scopesError : undefined}>
        <legend className="label">What it may do</legend>
        {INTEGRATION_SCOPES.map((scope) => (
          <label key={scope} className="scope-choice">
            <input
              type="checkbox"
              checked={values.scopes.includes(scope)}
              data-testid={`new-key-scope-${scope}`}
              onChange={(e) => setValues((v) => ({ ...v, scopes: withScope(v.scopes, scope, e.target.checked) }))}
            />
            <span>
              <span className="scope-name">{SCOPE_WORDS[scope]}</span>
              <span className="muted small">{SCOPE_DESCRIPTIONS[scope]}</span>
            </span>
          </label>
        ))}
        {errors.scopes && (
          <p className="field-error" id={ids.scopesError} data-testid="new-key-scopes-error">
            {errors.scopes}
          </p>
        )}
      </fieldset>
      <div className="new-key-actions">
        <button
          type="submit"
          className="button"
          disabled={creating}
          aria-describedby={failure ? ids.failure : undefined}
          data-testid="new-key-create-button"
        >
          <Icon name="key" />
          {creating ? 'Creating…' : 'Create key'}
        </button>
        {failure && (
          <p className="field-error" id={ids.failure} role="alert" data-testid="new-key-error">
            {failure}
          </p>
        )}
      </div>
    </form>
  )
}
