// One whole-number field of the knowledge-base form, with its range as a hint and its problem under it.
export interface KnowledgeNumberFieldProps {
  id: string
  label: string
  hint: string
  value: string
  error: string | undefined
  testId: string
  onChange(value: string): void
}

export function KnowledgeNumberField({ id, label, hint, value, error, testId, onChange }: KnowledgeNumberFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="mono knowledge-number"
        inputMode="numeric"
        autoComplete="off"
        value={value}
        aria-invalid={!!error}
        aria-describedby={[error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ')}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
      <p className="muted small" id={`${id}-hint`}>
        {hint}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}
