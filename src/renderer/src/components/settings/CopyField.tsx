// A read-only value to copy (the endpoint's address and token); a secret one is hidden until shown.
import { useId, useState } from 'react'
import { useNotices } from '../../context/notices'
import { copyText } from '../../dom/clipboard'
import { Icon } from '../Icon'

export function CopyField({ label, value, secret = false, testId }: { label: string; value: string; secret?: boolean; testId: string }) {
  const id = useId()
  const [shown, setShown] = useState(!secret)
  const { toast } = useNotices()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-row">
        <input
          id={id}
          type={shown ? 'text' : 'password'}
          value={value}
          readOnly
          className="mono"
          data-testid={testId}
          onFocus={(e) => e.target.select()}
        />
        {secret && (
          <button
            type="button"
            className="icon-button"
            aria-label={shown ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
          >
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
