// A named group of checkboxes (draft statuses, feedback, tags): each checked value is in the filter's list.
import type { ReactNode } from 'react'

export interface CheckGroupProps<T extends string | number> {
  legend: string
  options: readonly { value: T; label: ReactNode }[]
  checked: readonly T[] | undefined
  onToggle(value: T): void
  testId: string
}

export function CheckGroup<T extends string | number>({ legend, options, checked, onToggle, testId }: CheckGroupProps<T>) {
  return (
    <fieldset className="check-group" data-testid={testId}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="check-option">
          <input
            type="checkbox"
            checked={checked?.includes(option.value) ?? false}
            onChange={() => onToggle(option.value)}
            value={String(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  )
}
