// The Rewrite button and its popover: the fixed styles, translating to the customer's language or to a
// chosen one, and a free instruction. It rewrites the reply as it is now (Gemini's draft or the agent's own
// text). ↑ ↓ move between the choices, Esc closes and gives focus back to the button.
import type { KeyboardEvent } from 'react'
import { CUSTOMER_LANGUAGE, type RewriteInstruction } from '../../../../shared/steering'
import { usePopover } from '../../hooks/usePopover'
import type { RewriteControls } from '../../hooks/useRewrite'
import { REWRITE_STYLE_LABELS } from '../../state/rewrite-instructions'
import { Icon } from '../Icon'
import { RewriteFreeForm } from './RewriteFreeForm'

/** ↑/↓ between the popover's buttons and fields, as in a menu. */
function moveFocus(event: KeyboardEvent<HTMLElement>): void {
  // In a text field the arrows are its own (the language list opens with them).
  if ((event.key !== 'ArrowDown' && event.key !== 'ArrowUp') || document.activeElement instanceof HTMLInputElement) return
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>('button:not(:disabled), input')]
  const at = items.indexOf(document.activeElement as HTMLElement)
  const next = items[(at + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]
  if (!next) return
  event.preventDefault()
  next.focus()
}

export function RewriteMenu({ rewrite }: { rewrite: RewriteControls }) {
  const popover = usePopover()
  const { customerLanguage } = rewrite

  const choose = (instruction: RewriteInstruction): void => {
    popover.setOpen(false)
    rewrite.rewrite(instruction)
  }

  return (
    <div className="menu-anchor" ref={popover.anchor}>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        aria-expanded={popover.open}
        disabled={rewrite.blocked !== null}
        title={rewrite.blocked ?? 'Rewrite the reply: tone, length, grammar, language'}
        onClick={popover.toggle}
        data-testid="rewrite-button"
      >
        <Icon name="wand" />
        Rewrite
      </button>
      {popover.open && (
        <div
          className="menu rewrite-menu"
          role="dialog"
          aria-label="Rewrite the reply"
          data-testid="rewrite-menu"
          onKeyDown={(e) => {
            moveFocus(e)
            popover.onKeyDown(e)
          }}
        >
          {REWRITE_STYLE_LABELS.map(([style, label], i) => (
            <button
              key={style}
              type="button"
              className="menu-item"
              autoFocus={i === 0}
              onClick={() => choose({ kind: style })}
              data-testid={`rewrite-${style}`}
            >
              {label}
            </button>
          ))}
          <button
            type="button"
            className="menu-item"
            disabled={!customerLanguage}
            title={customerLanguage ? undefined : 'The customer’s language is not known yet (too little of their text).'}
            onClick={() => choose({ kind: 'translate', language: CUSTOMER_LANGUAGE })}
            data-testid="rewrite-translate-customer"
          >
            {customerLanguage ? `Translate to ${customerLanguage}` : 'Translate to the customer’s language'}
          </button>
          <RewriteFreeForm onRewrite={choose} />
        </div>
      )}
    </div>
  )
}
