// The Gemini API key: write-only (the saved key is never shown), replaced by pasting a new one or removed.
import type { ApiKeyStorage } from '../../../../shared/api'
import { describedBy, type SettingsSectionProps } from '../../state/settings-form'
import { Icon } from '../Icon'
import { FieldError } from './FieldError'

const STORAGE_TEXT: Record<ApiKeyStorage, string> = {
  'os-encrypted': 'A key is saved, encrypted by your operating system’s keychain.',
  plaintext: 'A key is saved in a file only your user account can read. It is not encrypted by the operating system.',
  environment: 'The key comes from the GEMINI_API_KEY environment variable. Change it there; it cannot be edited here.',
  none: 'No key is set. Drafting replies needs one.',
}

export interface ApiKeyFieldProps extends SettingsSectionProps {
  /** Put the cursor here when the dialog opens (opened from "Add API key"). */
  focus: boolean
}

export function ApiKeyField({ settings, values, onChange, errors, formId, focus }: ApiKeyFieldProps) {
  const { storage, present } = settings.apiKey
  const keyFromEnv = storage === 'environment'
  return (
    <div className="field">
      <label htmlFor={`${formId}-key`}>API key</label>
      <p className={`key-status key-${storage}`} id={`${formId}-key-status`} data-testid="settings-api-key-status" data-storage={storage}>
        <Icon name={present ? (storage === 'plaintext' ? 'alert' : 'check') : 'key'} size={14} />
        {STORAGE_TEXT[storage]}
      </p>
      <div className="input-row">
        <input
          id={`${formId}-key`}
          type="password"
          autoComplete="off"
          spellCheck={false}
          className="mono"
          placeholder={keyFromEnv ? 'Set by GEMINI_API_KEY' : present ? 'Paste a new key to replace the saved one' : 'Paste your Gemini API key'}
          value={values.apiKey}
          disabled={keyFromEnv || values.removeKey}
          data-autofocus={focus && !keyFromEnv ? true : undefined}
          aria-describedby={describedBy(formId, errors, 'apiKey', `${formId}-key-status`)}
          aria-invalid={!!errors.apiKey}
          data-testid="settings-api-key-input"
          onChange={(e) => onChange({ apiKey: e.target.value })}
        />
        {present && !keyFromEnv && (
          <button
            type="button"
            className="button"
            aria-pressed={values.removeKey}
            onClick={() => onChange({ removeKey: !values.removeKey })}
            data-testid="settings-remove-key-button"
          >
            {values.removeKey ? 'Keep key' : 'Remove key'}
          </button>
        )}
      </div>
      {values.removeKey && <p className="muted small">The saved key will be removed when you save.</p>}
      <FieldError formId={formId} errors={errors} field="apiKey" />
      <p className="muted small">
        The key is never shown again and never leaves this computer except to call Gemini. Get one at{' '}
        <a href="https://aistudio.google.com/app/apikey" target="_blank" rel="noreferrer noopener">
          Google AI Studio
        </a>
        .
      </p>
    </div>
  )
}
