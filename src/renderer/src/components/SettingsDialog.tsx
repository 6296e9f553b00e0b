// Settings: the API key (write-only), model, agent persona, the local endpoint for integrations, and the
// browser origins allowed to call it. Checked with the same schema main uses, so most mistakes are caught
// before saving; whatever the API still refuses is shown as it says it.
import { useId, useRef, useState, type FormEvent } from 'react'
import type { ApiKeyStorage, SettingsUpdate, SettingsView } from '../../../shared/api'
import { settingsUpdate } from '../../../shared/schemas'
import { describeError } from '../api/errors'
import { copyText } from '../hooks/useClipboard'
import { useNotices } from '../hooks/useNotices'
import { Icon } from './Icon'
import { Modal } from './Modal'

export interface SettingsDialogProps {
  settings: SettingsView
  save(update: SettingsUpdate): Promise<SettingsView>
  onClose(): void
  /** Put the cursor in the API key field (opened from "Add API key"). */
  focusApiKey?: boolean
}

const STORAGE_TEXT: Record<ApiKeyStorage, string> = {
  'os-encrypted': 'A key is saved, encrypted by your operating system’s keychain.',
  plaintext: 'A key is saved in a file only your user account can read. It is not encrypted by the operating system.',
  environment: 'The key comes from the GEMINI_API_KEY environment variable. Change it there; it cannot be edited here.',
  none: 'No key is set. Drafting replies needs one.',
}

const MODEL_SUGGESTIONS = ['gemini-flash-latest', 'gemini-flash-lite-latest', 'gemini-pro-latest', 'gemini-2.5-flash', 'gemini-2.5-pro']

type Field = 'apiKey' | 'model' | 'systemInstruction' | 'allowedOrigins'

function CopyField({ label, value, secret = false, testId }: { label: string; value: string; secret?: boolean; testId: string }) {
  const id = useId()
  const [shown, setShown] = useState(!secret)
  const { toast } = useNotices()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-row">
        <input id={id} type={shown ? 'text' : 'password'} value={value} readOnly className="mono" data-testid={testId} onFocus={(e) => e.target.select()} />
        {secret && (
          <button type="button" className="icon-button" aria-label={shown ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`} aria-pressed={shown} onClick={() => setShown((s) => !s)}>
            <Icon name="eye" />
          </button>
        )}
        <button
          type="button"
          className="button"
          data-testid={`copy-${testId}`}
          onClick={() => void copyText(value).then((ok) => toast(ok ? `${label} copied` : 'Could not copy', ok ? 'success' : 'error'))}
        >
          <Icon name="copy" />
          Copy
        </button>
      </div>
    </div>
  )
}

export function SettingsDialog({ settings, save, onClose, focusApiKey = false }: SettingsDialogProps) {
  const { toast } = useNotices()
  const [apiKey, setApiKey] = useState('')
  const [removeKey, setRemoveKey] = useState(false)
  const [model, setModel] = useState(settings.model)
  const [persona, setPersona] = useState(settings.systemInstruction)
  const [origins, setOrigins] = useState<string[]>(settings.allowedOrigins)
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const formId = useId()
  const originInputs = useRef<(HTMLInputElement | null)[]>([])
  const keyFromEnv = settings.apiKey.storage === 'environment'

  const buildUpdate = (): SettingsUpdate => {
    const update: SettingsUpdate = {}
    if (!keyFromEnv) {
      if (removeKey) update.apiKey = null
      else if (apiKey.trim() !== '') update.apiKey = apiKey.trim()
    }
    if (model.trim() !== settings.model) update.model = model.trim()
    if (persona !== settings.systemInstruction) update.systemInstruction = persona
    const cleaned = origins.map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== '')
    if (cleaned.join('\n') !== settings.allowedOrigins.join('\n')) update.allowedOrigins = cleaned
    return update
  }

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setFormError(null)
    const update = buildUpdate()
    const checked = settingsUpdate.safeParse(update)
    if (!checked.success) {
      const found: Partial<Record<Field, string>> = {}
      for (const issue of checked.error.issues) {
        const field = issue.path[0] as Field | undefined
        if (field && !found[field]) found[field] = issue.message
      }
      setErrors(found)
      return
    }
    setErrors({})
    if (Object.keys(update).length === 0) {
      onClose()
      return
    }
    setSaving(true)
    try {
      await save(update)
      toast('Settings saved', 'success')
      onClose()
    } catch (error) {
      setFormError(describeError(error))
    } finally {
      setSaving(false)
    }
  }

  const fieldError = (field: Field) =>
    errors[field] ? (
      <p className="field-error" id={`${formId}-${field}-error`} data-testid={`settings-${field}-error`}>
        {errors[field]}
      </p>
    ) : null
  const describedBy = (field: Field, hint?: string): string | undefined => [errors[field] ? `${formId}-${field}-error` : null, hint].filter(Boolean).join(' ') || undefined

  return (
    <Modal
      title="Settings"
      onClose={onClose}
      testId="settings-dialog"
      size="wide"
      footer={
        <>
          {formError && (
            <p className="field-error footer-error" role="alert" data-testid="settings-error">
              {formError}
            </p>
          )}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={saving} data-testid="settings-save-button">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form id={formId} className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
        <section className="settings-section" aria-labelledby={`${formId}-gemini`}>
          <h3 id={`${formId}-gemini`}>Gemini</h3>
          <div className="field">
            <label htmlFor={`${formId}-key`}>API key</label>
            <p className={`key-status key-${settings.apiKey.storage}`} id={`${formId}-key-status`} data-testid="settings-api-key-status" data-storage={settings.apiKey.storage}>
              <Icon name={settings.apiKey.present ? (settings.apiKey.storage === 'plaintext' ? 'alert' : 'check') : 'key'} size={14} />
              {STORAGE_TEXT[settings.apiKey.storage]}
            </p>
            <div className="input-row">
              <input
                id={`${formId}-key`}
                type="password"
                autoComplete="off"
                spellCheck={false}
                className="mono"
                placeholder={keyFromEnv ? 'Set by GEMINI_API_KEY' : settings.apiKey.present ? 'Paste a new key to replace the saved one' : 'Paste your Gemini API key'}
                value={apiKey}
                disabled={keyFromEnv || removeKey}
                data-autofocus={focusApiKey && !keyFromEnv ? true : undefined}
                aria-describedby={describedBy('apiKey', `${formId}-key-status`)}
                aria-invalid={!!errors.apiKey}
                data-testid="settings-api-key-input"
                onChange={(e) => setApiKey(e.target.value)}
              />
              {settings.apiKey.present && !keyFromEnv && (
                <button type="button" className="button" aria-pressed={removeKey} onClick={() => setRemoveKey((r) => !r)} data-testid="settings-remove-key-button">
                  {removeKey ? 'Keep key' : 'Remove key'}
                </button>
              )}
            </div>
            {removeKey && <p className="muted small">The saved key will be removed when you save.</p>}
            {fieldError('apiKey')}
            <p className="muted small">
              The key is never shown again and never leaves this computer except to call Gemini. Get one at{' '}
              <a href="https://aistudio.google.com/app/apikey" target="_blank" rel="noreferrer noopener">
                Google AI Studio
              </a>
              .
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${formId}-model`}>Model</label>
            <input
              id={`${formId}-model`}
              list={`${formId}-models`}
              className="mono"
              value={model}
              spellCheck={false}
              aria-invalid={!!errors.model}
              aria-describedby={describedBy('model')}
              data-testid="settings-model-input"
              onChange={(e) => setModel(e.target.value)}
            />
            <datalist id={`${formId}-models`}>
              {MODEL_SUGGESTIONS.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
            {fieldError('model')}
          </div>
          <div className="field">
            <label htmlFor={`${formId}-persona`}>Agent persona</label>
            <p className="muted small" id={`${formId}-persona-hint`}>
              The instruction Gemini follows for every draft: tone, company, what it must never promise.
            </p>
            <textarea
              id={`${formId}-persona`}
              rows={6}
              value={persona}
              aria-invalid={!!errors.systemInstruction}
              aria-describedby={describedBy('systemInstruction', `${formId}-persona-hint`)}
              data-testid="settings-persona-input"
              onChange={(e) => setPersona(e.target.value)}
            />
            <p className="muted small align-end">{persona.length.toLocaleString()} / 20,000</p>
            {fieldError('systemInstruction')}
          </div>
        </section>

        <section className="settings-section" aria-labelledby={`${formId}-endpoint`}>
          <h3 id={`${formId}-endpoint`}>Local endpoint for integrations</h3>
          <p className="muted small">
            Helpdesk plugins and scripts on this computer stream drafts from this address with the token. Keep the token private: it gives access to
            every transcript.
          </p>
          <CopyField label="Address" value={settings.endpoint.url} testId="settings-endpoint-url" />
          <CopyField label="Token" value={settings.endpoint.token} secret testId="settings-endpoint-token" />
          <div className="field">
            <span className="label" id={`${formId}-origins`}>
              Allowed browser origins
            </span>
            <p className="muted small" id={`${formId}-origins-hint`}>
              Web pages from these origins (like <code>https://helpdesk.example.com</code>) may call the endpoint. Others are refused.
            </p>
            <ul className="origin-list" aria-labelledby={`${formId}-origins`}>
              {origins.map((origin, i) => (
                <li key={i} className="input-row">
                  <input
                    ref={(el) => {
                      originInputs.current[i] = el
                    }}
                    aria-label={`Allowed origin ${i + 1}`}
                    className="mono"
                    value={origin}
                    placeholder="https://helpdesk.example.com"
                    spellCheck={false}
                    aria-invalid={!!errors.allowedOrigins}
                    data-testid="settings-origin-input"
                    onChange={(e) => setOrigins((list) => list.map((o, j) => (j === i ? e.target.value : o)))}
                  />
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove origin ${origin || i + 1}`}
                    data-testid="settings-remove-origin-button"
                    onClick={() => setOrigins((list) => list.filter((_, j) => j !== i))}
                  >
                    <Icon name="x" />
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="button"
              data-testid="settings-add-origin-button"
              onClick={() => {
                setOrigins((list) => [...list, ''])
                requestAnimationFrame(() => originInputs.current[origins.length]?.focus())
              }}
            >
              <Icon name="plus" />
              Add origin
            </button>
            {fieldError('allowedOrigins')}
          </div>
        </section>

        <section className="settings-section" aria-labelledby={`${formId}-data`}>
          <h3 id={`${formId}-data`}>Data</h3>
          <p className="muted small">
            Transcripts and settings are kept in <code data-testid="settings-data-dir">{settings.dataDir}</code>.
          </p>
        </section>
      </form>
    </Modal>
  )
}
