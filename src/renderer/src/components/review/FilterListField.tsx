// A text field for a filter list (sources, models): comma-separated values, applied when it loses focus or on Enter.
import { useEffect, useState } from 'react'
import { listFromText } from '../../state/review-filter'

export interface FilterListFieldProps {
  id: string
  label: string
  hint: string
  values: string[] | undefined
  onChange(values: string[] | undefined): void
}

export function FilterListField({ id, label, hint, values, onChange }: FilterListFieldProps) {
  const joined = (values ?? []).join(', ')
  const [text, setText] = useState(joined)
  useEffect(() => setText(joined), [joined])
  const apply = (): void => {
    if (text.trim() !== joined) onChange(listFromText(text))
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        placeholder={hint}
        aria-description="Several values: separate them with commas"
        data-testid={id}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            apply()
          }
        }}
      />
    </div>
  )
}
