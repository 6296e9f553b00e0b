// A new integration key's secret, shown this once: a read-only field, Copy, and Done. The secret is a prop of
// this component only; Done (or closing Settings) drops it, and nothing can show it again.
import { useEffect, useId, useRef } from 'react'
import { useNotices } from '../../context/notices'
import { copyText } from '../../dom/clipboard'
import { Icon } from '../Icon'

export function NewKeySecret({ name, secret, onDone }: { name: string; secret: string; onDone(): void }) {
  const id = useId()
  const field = useRef<HTMLInputElement>(null)
  const { toast } = useNotices()

  // The agent's next step is to copy it: put the cursor there, with the whole key selected.
  useEffect(() => {
    field.current?.focus()
    field.current?.select()
  }, [])

  const copy = async (): Promise<void> => {
    const ok = await copyText(secret)
    toast(ok ? 'Integration key copied' : 'Could not copy: select the key and copy it by hand', ok ? 'success' : 'error')
  }

  return (
    <div className="new-key-secret" role="group" aria-labelledby={`${id}-title`} data-testid="new-key-secret">
      <h4 className="label" id={`${id}-title`}>
        <Icon name="check" size={14} />
        Integration key “{name}” created
      </h4>
      <p className="new-key-warning" id={`${id}-warning`}>
        <Icon name="alert" size={14} />
        Copy this key now: it will not be shown again.
      </p>
      <div className="field">
        <label htmlFor={`${id}-secret`}>Key</label>
        <div className="input-row">
          <input
            id={`${id}-secret`}
            ref={field}
            value={secret}
            readOnly
            className="mono"
            spellCheck={false}
            aria-describedby={`${id}-warning`}
            data-testid="new-key-secret-input"
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="button button-primary" data-testid="new-key-copy-button" onClick={() => void copy()}>
            <Icon name="copy" />
            Copy
          </button>
        </div>
      </div>
      <button type="button" className="button new-key-done" data-testid="new-key-done-button" onClick={onDone}>
        Done, I have copied it
      </button>
    </div>
  )
}
