// Backups in words: sizes, and what a restore would change (the backup's contents against the live archive).
// Pure: unit-tested under Node.
import type { ArchiveCounts, BackupCheck } from '../../../shared/review'

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`
}

const counted = (c: ArchiveCounts): string =>
  `${c.conversations} conversation${c.conversations === 1 ? '' : 's'} and ${c.messages} message${c.messages === 1 ? '' : 's'}`

/** The sentences the restore confirmation shows: what is there now, what will be there after, what is kept. */
export function restoreChanges(check: BackupCheck): string[] {
  if (!check.ok || !check.contents) return [`This backup cannot be restored: ${check.problem ?? 'it did not pass its check'}.`]
  const now = check.current
  const after = check.contents
  const lines = [
    `Now: ${counted(now)}.`,
    `After the restore: ${counted(after)}, as they were on ${check.backup.createdAt.slice(0, 16).replace('T', ' ')} UTC.`,
  ]
  const lostConversations = now.conversations - after.conversations
  const lostMessages = now.messages - after.messages
  if (lostConversations > 0 || lostMessages > 0) {
    const fewer = (n: number, what: string): string => `${Math.max(0, n)} fewer ${what}${Math.max(0, n) === 1 ? '' : 's'}`
    lines.push(
      `The console will show ${fewer(lostConversations, 'conversation')} and ${fewer(lostMessages, 'message')}; anything written since the backup is not in it.`,
    )
  }
  lines.push(
    'The current database is kept aside (renamed, never overwritten), so nothing is lost. The restore is applied when Support Console next starts.',
  )
  return lines
}
