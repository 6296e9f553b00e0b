// The knowledge-base folder and how much of it each draft gets, saved on their own Save (changing the folder
// re-indexes, which the agent should see happen before closing Settings). While SUPPORT_CONSOLE_KB_DIR sets the
// folder it is shown read-only, with that reason.
import { useId, useState, type FormEvent } from 'react'
import type { KnowledgeBaseSettingsView } from '../../../../shared/api'
import { MAX_KB_PASSAGES, MAX_KB_TOKEN_BUDGET, MIN_KB_PASSAGES, MIN_KB_TOKEN_BUDGET } from '../../../../shared/limits'
import { describeError } from '../../api/errors'
import { useNotices } from '../../context/notices'
import { useSettings } from '../../context/settings'
import { buildKnowledgeUpdate, checkKnowledgeUpdate, initialKnowledgeValues, type KnowledgeFieldErrors } from '../../state/knowledge-base'
import { KnowledgeNumberField } from './KnowledgeNumberField'

export function KnowledgeFolderForm({ knowledgeBase, onSaved }: { knowledgeBase: KnowledgeBaseSettingsView; onSaved(): void }) {
  const { save } = useSettings()
  const { toast } = useNotices()
  const id = useId()
  const [values, setValues] = useState(() => initialKnowledgeValues(knowledgeBase))
  const [errors, setErrors] = useState<KnowledgeFieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const update = buildKnowledgeUpdate(knowledgeBase, values)
  const changed = Object.keys(update).length > 0

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (saving) return
    const found = checkKnowledgeUpdate(update)
    setErrors(found ?? {})
    setFormError(null)
    if (found || !changed) return
    setSaving(true)
    try {
      const saved = await save(update)
      setValues(initialKnowledgeValues(saved.knowledgeBase))
      toast('Knowledge base settings saved', 'success')
      onSaved()
    } catch (error) {
      setFormError(describeError(error))
    } finally {
      setSaving(false)
    }
  }

  const dirError = errors.knowledgeBaseDir
  return (
    <form className="knowledge-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Knowledge base folder">
      <div className="field">
        <label htmlFor={`${id}-dir`}>Folder</label>
        <input
          id={`${id}-dir`}
          className="mono"
          value={values.dir}
          readOnly={knowledgeBase.setByEnvironment}
          placeholder="/path/to/support-documents (empty: no knowledge base)"
          spellCheck={false}
          aria-invalid={!!dirError}
          aria-describedby={[dirError ? `${id}-dir-error` : null, `${id}-dir-hint`].filter(Boolean).join(' ')}
          data-testid="knowledge-dir-input"
          onChange={(e) => setValues((v) => ({ ...v, dir: e.target.value }))}
        />
        <p className="muted small" id={`${id}-dir-hint`} data-testid="knowledge-dir-hint">
          {knowledgeBase.setByEnvironment
            ? 'Set by SUPPORT_CONSOLE_KB_DIR when Support Console started, so it cannot be changed here.'
            : 'An absolute path. Leave it empty to draft without a knowledge base.'}
        </p>
        {dirError && (
          <p className="field-error" id={`${id}-dir-error`} data-testid="knowledge-dir-error">
            {dirError}
          </p>
        )}
      </div>
      <div className="knowledge-numbers">
        <KnowledgeNumberField
          id={`${id}-passages`}
          label="Passages per draft"
          hint={`${MIN_KB_PASSAGES}–${MAX_KB_PASSAGES}`}
          value={values.passages}
          error={errors.kbPassages}
          testId="knowledge-passages-input"
          onChange={(passages) => setValues((v) => ({ ...v, passages }))}
        />
        <KnowledgeNumberField
          id={`${id}-budget`}
          label="Token budget"
          hint={`${MIN_KB_TOKEN_BUDGET.toLocaleString('en-US')}–${MAX_KB_TOKEN_BUDGET.toLocaleString('en-US')} tokens of passages per draft`}
          value={values.tokenBudget}
          error={errors.kbTokenBudget}
          testId="knowledge-budget-input"
          onChange={(tokenBudget) => setValues((v) => ({ ...v, tokenBudget }))}
        />
      </div>
      <div className="knowledge-form-actions">
        {formError && (
          <p className="field-error" role="alert" data-testid="knowledge-save-error">
            {formError}
          </p>
        )}
        {/* Never disabled: a disabled button drops the keyboard focus it had while saving. */}
        <button type="submit" className="button" aria-disabled={saving} data-testid="knowledge-save-button">
          {saving ? 'Saving…' : 'Save knowledge base'}
        </button>
      </div>
    </form>
  )
}
