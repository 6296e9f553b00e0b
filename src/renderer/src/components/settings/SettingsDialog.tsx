// Settings: the API key (write-only), model, agent persona, the local endpoint for integrations and the browser
// origins allowed to call it, all saved together; and the integration keys, created and revoked at once. The form
// is checked with the same schema main uses, so most mistakes are caught before saving; whatever the API still
// refuses is shown as it says it.
import { useId, useState, type FormEvent } from 'react'
import type { SettingsUpdate, SettingsView } from '../../../../shared/api'
import { describeError } from '../../api/errors'
import { useNotices } from '../../context/notices'
import { buildSettingsUpdate, checkSettingsUpdate, initialFormValues, type FieldErrors, type SettingsFormValues } from '../../state/settings-form'
import { Modal } from '../Modal'
import { BackupsSection } from './BackupsSection'
import { EndpointSection } from './EndpointSection'
import { GeminiSection } from './GeminiSection'
import { IntegrationsSection } from './IntegrationsSection'
import { KnowledgeBaseSection } from './KnowledgeBaseSection'

export interface SettingsDialogProps {
  settings: SettingsView
  save(update: SettingsUpdate): Promise<SettingsView>
  onClose(): void
  /** Put the cursor in the API key field (opened from "Add API key"). */
  focusApiKey?: boolean
}

export function SettingsDialog({ settings, save, onClose, focusApiKey = false }: SettingsDialogProps) {
  const { toast } = useNotices()
  const [values, setValues] = useState<SettingsFormValues>(() => initialFormValues(settings))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const formId = useId()
  const onChange = (change: Partial<SettingsFormValues>): void => setValues((v) => ({ ...v, ...change }))

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setFormError(null)
    const update = buildSettingsUpdate(settings, values)
    const found = checkSettingsUpdate(update)
    if (found) {
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

  const section = { settings, values, onChange, errors, formId }
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
      <div className="settings-sections">
        <form id={formId} className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
          <GeminiSection {...section} focusApiKey={focusApiKey} />
          <EndpointSection {...section} />
        </form>
        {/* Outside the form: keys are created and revoked at once, and a form cannot hold another. */}
        <IntegrationsSection />
        <KnowledgeBaseSection />
        <BackupsSection />
        <section className="settings-section" aria-labelledby={`${formId}-data`}>
          <h3 id={`${formId}-data`}>Data</h3>
          <p className="muted small">
            Transcripts and settings are kept in <code data-testid="settings-data-dir">{settings.dataDir}</code>.
          </p>
        </section>
      </div>
    </Modal>
  )
}
