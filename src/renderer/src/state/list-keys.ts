// What a key pressed in the conversation list does: arrows, Page Up/Down, Home and End move the active row;
// Enter or Space opens it, F2 renames it, Delete deletes it. Pure: unit-tested under Node.

export type ListKeyAction = { type: 'move' | 'open' | 'rename' | 'delete'; index: number }

/** `pageRows` is how far Page Up/Down move; null for a key the list does not use (or an empty list). */
export function listKeyAction(key: string, active: number, count: number, pageRows: number): ListKeyAction | null {
  if (count === 0) return null
  const current = Math.min(active, count - 1)
  const move = (index: number): ListKeyAction => ({ type: 'move', index: Math.max(0, Math.min(count - 1, index)) })
  switch (key) {
    case 'ArrowDown':
      return move(current + 1)
    case 'ArrowUp':
      return move(current - 1)
    case 'PageDown':
      return move(current + pageRows)
    case 'PageUp':
      return move(current - pageRows)
    case 'Home':
      return move(0)
    case 'End':
      return move(count - 1)
    case 'Enter':
    case ' ':
      return { type: 'open', index: current }
    case 'F2':
      return { type: 'rename', index: current }
    case 'Delete':
      return { type: 'delete', index: current }
    default:
      return null
  }
}
