// The console's keyboard shortcuts: one table for the handlers, the tooltips and the help panel.
// Ctrl on Windows/Linux is Cmd on macOS. Pure: unit-tested under Node.
//
// Choices that avoid clashes: Alt+D focuses the address bar in browsers and Ctrl+N/T/W are reserved by
// them, so drafting is Ctrl/Cmd+D, which pages may take over (the console prevents the bookmark dialog
// only while it has focus).

export type ShortcutId = 'draft' | 'stop' | 'search' | 'help' | 'send-customer' | 'use-reply' | 'undo-rewrite' | 'snippets'

export interface KeyLike {
  key: string
  code?: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

export interface ShortcutInfo {
  id: ShortcutId
  description: string
  /** Where the shortcut works, when it is not everywhere. */
  where?: string
  keys: (mac: boolean) => string
}

const mod = (mac: boolean): string => (mac ? '⌘' : 'Ctrl')
const plus = (mac: boolean, ...keys: string[]): string => (mac ? keys.join('') : keys.join('+'))

export const SHORTCUTS: readonly ShortcutInfo[] = [
  { id: 'draft', description: 'Draft a reply with Gemini', keys: (mac) => plus(mac, mod(mac), 'D') },
  { id: 'stop', description: 'Stop the draft', where: 'while drafting', keys: () => 'Esc' },
  { id: 'use-reply', description: 'Use the reply', where: 'in the draft editor', keys: (mac) => plus(mac, mod(mac), mac ? '↩' : 'Enter') },
  {
    id: 'send-customer',
    description: 'Add the customer’s message',
    where: 'in the customer message box',
    keys: (mac) => plus(mac, mod(mac), mac ? '↩' : 'Enter'),
  },
  {
    id: 'snippets',
    description: 'Insert a snippet (or type / at the start of a word)',
    where: 'in the reply editor',
    keys: (mac) => plus(mac, mod(mac), '/'),
  },
  { id: 'undo-rewrite', description: 'Undo the rewrite', where: 'outside text fields', keys: (mac) => plus(mac, mod(mac), 'Z') },
  { id: 'search', description: 'Search conversations', keys: (mac) => plus(mac, mod(mac), 'K') },
  { id: 'help', description: 'Show keyboard shortcuts', where: 'outside text fields', keys: () => '?' },
]

export function shortcutKeys(id: ShortcutId, mac: boolean): string {
  return SHORTCUTS.find((s) => s.id === id)?.keys(mac) ?? ''
}

/** "Draft reply (Ctrl+D)": a control's tooltip that teaches its shortcut. */
export function withShortcut(label: string, id: ShortcutId, mac: boolean): string {
  return `${label} (${shortcutKeys(id, mac)})`
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform)
}

const hasMod = (e: KeyLike, mac: boolean): boolean => (mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey)

// Letters by physical key as well, so the shortcuts work on non-Latin keyboard layouts.
const isLetter = (e: KeyLike, letter: string): boolean => e.key.toLowerCase() === letter || e.code === `Key${letter.toUpperCase()}`

/** The app-wide shortcut a key press means, if any. `typing` is true while focus is in a text field. */
export function matchGlobalShortcut(e: KeyLike, mac: boolean, typing: boolean): ShortcutId | null {
  if (hasMod(e, mac) && !e.altKey && !e.shiftKey) {
    if (isLetter(e, 'd')) return 'draft'
    if (isLetter(e, 'k')) return 'search'
    // In a text field Ctrl/⌘+Z is the field's own undo.
    if (!typing && isLetter(e, 'z')) return 'undo-rewrite'
  }
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) return 'stop'
  if (!typing && e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'help'
  return null
}

/** Ctrl/Cmd+Enter: submits the text field it is pressed in. */
export function isSubmitChord(e: KeyLike, mac: boolean): boolean {
  return e.key === 'Enter' && hasMod(e, mac) && !e.altKey && !e.shiftKey
}

/** Ctrl/Cmd+/: opens the snippet picker in the reply editor. By physical key too (`/` needs Shift on some layouts). */
export function isSnippetChord(e: KeyLike, mac: boolean): boolean {
  return hasMod(e, mac) && !e.altKey && (e.key === '/' || e.code === 'Slash')
}
