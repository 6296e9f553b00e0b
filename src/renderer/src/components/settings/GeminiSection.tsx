// Settings for drafting: the API key, the model, and the persona Gemini follows.
import { describedBy, type SettingsSectionProps } from '../../state/settings-form'
import { ApiKeyField } from './ApiKeyField'
import { FieldError } from './FieldError'

const MODEL_SUGGESTIONS = ['gemini-flash-latest', 'gemini-flash-lite-latest', 'gemini-pro-latest', 'gemini-2.5-flash', 'gemini-2.5-pro']

export interface GeminiSectionProps extends SettingsSectionProps {
  /** Put the cursor in the API key field (opened from "Add API key"). */
  focusApiKey: boolean
}

export function GeminiSection({ focusApiKey, ...section }: GeminiSectionProps) {
  const { values, onChange, errors, formId } = section
  return (
    <section className="settings-section" aria-labelledby={`${formId}-gemini`}>
      <h3 id={`${formId}-gemini`}>Gemini</h3>
      <ApiKeyField {...section} focus={focusApiKey} />
      <div className="field">
        <label htmlFor={`${formId}-model`}>Model</label>
        <input
          id={`${formId}-model`}
          list={`${formId}-models`}
          className="mono"
          value={values.model}
          spellCheck={false}
          aria-invalid={!!errors.model}
          aria-describedby={describedBy(formId, errors, 'model')}
          data-testid="settings-model-input"
          onChange={(e) => onChange({ model: e.target.value })}
        />
        <datalist id={`${formId}-models`}>
          {MODEL_SUGGESTIONS.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <FieldError formId={formId} errors={errors} field="model" />
      </div>
      <div className="field">
        <label htmlFor={`${formId}-persona`}>Agent persona</label>
        <p className="muted small" id={`${formId}-persona-hint`}>
          The instruction Gemini follows for every draft: tone, company, what it must never promise.
        </p>
        <textarea
          id={`${formId}-persona`}
          rows={6}
          value={values.persona}
          aria-invalid={!!errors.systemInstruction}
          aria-describedby={describedBy(formId, errors, 'systemInstruction', `${formId}-persona-hint`)}
          data-testid="settings-persona-input"
          onChange={(e) => onChange({ persona: e.target.value })}
        />
        <p className="muted small align-end">{values.persona.length.toLocaleString()} / 20,000</p>
        <FieldError formId={formId} errors={errors} field="systemInstruction" />
      </div>
    </section>
  )
}
