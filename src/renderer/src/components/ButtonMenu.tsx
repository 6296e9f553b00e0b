// A small labelled button that opens a menu below it (the review's Tag and Export buttons): the popover's anchor,
// the button, and the menu, which a click outside or Escape closes (usePopover). The caller owns the popover, so
// its items can close it when one is picked.
import type { ReactNode } from 'react'
import type { Popover } from '../hooks/usePopover'
import { Icon, type IconName } from './Icon'

export interface ButtonMenuProps {
  popover: Popover
  icon: IconName
  /** The button's text, and the menu's accessible name. */
  label: string
  testId: string
  disabled?: boolean
  /** Added to the menu's `menu` class. */
  menuClassName?: string
  children: ReactNode
}

export function ButtonMenu({ popover, icon, label, testId, disabled = false, menuClassName, children }: ButtonMenuProps) {
  return (
    <div className="menu-anchor" ref={popover.anchor}>
      <button
        type="button"
        className="button button-small"
        aria-haspopup="menu"
        aria-expanded={popover.open}
        disabled={disabled}
        onClick={popover.toggle}
        data-testid={testId}
      >
        <Icon name={icon} size={14} />
        {label}
      </button>
      {popover.open && (
        <div className={menuClassName ? `menu ${menuClassName}` : 'menu'} role="menu" aria-label={label} onKeyDown={popover.onKeyDown}>
          {children}
        </div>
      )}
    </div>
  )
}
