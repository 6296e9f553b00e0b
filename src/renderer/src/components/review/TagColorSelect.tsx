// The palette as a select: a named colour per option, with the chosen colour's swatch beside it.
import { TAG_COLORS, type TagColor } from '../../../../shared/review'

export interface TagColorSelectProps {
  id: string
  label: string
  value: TagColor
  onChange(color: TagColor): void
  /** Label hidden (in a table row, the column heading says it). */
  hideLabel?: boolean
}

const colorName = (color: TagColor): string => color[0]?.toUpperCase() + color.slice(1)

export function TagColorSelect({ id, label, value, onChange, hideLabel = false }: TagColorSelectProps) {
  return (
    <div className="field tag-color-field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <span className="input-row">
        <span className={`tag-dot tag-${value}`} aria-hidden="true" />
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as TagColor)}>
          {TAG_COLORS.map((color) => (
            <option key={color} value={color}>
              {colorName(color)}
            </option>
          ))}
        </select>
      </span>
    </div>
  )
}
