// Restoring a backup: it is checked first (integrity, schema), then the dialog says what will change (what is
// there now, what the backup holds, that the current database is kept aside) and asks before restoring. After,
// it says to restart, which is when the restore is applied.
import { useEffect, useState } from 'react'
import type { BackupCheck, BackupInfo, RestoreResult } from '../../../../shared/review'
import type { Backups } from '../../hooks/useBackups'
import { restoreChanges } from '../../state/backups'
import { fullTime } from '../../state/format-time'
import { Modal } from '../Modal'

export interface BackupsRestoreDialogProps {
  backup: BackupInfo
  backups: Backups
  onClose(): void
}

export function BackupsRestoreDialog({ backup, backups, onClose }: BackupsRestoreDialogProps) {
  const [check, setCheck] = useState<BackupCheck | null>(null)
  const [done, setDone] = useState<RestoreResult | null>(null)
  const { check: runCheck } = backups
  useEffect(() => {
    let current = true
    void runCheck(backup).then((found) => current && setCheck(found))
    return () => {
      current = false
    }
  }, [backup, runCheck])

  const restore = async (): Promise<void> => setDone(await backups.restore(backup))
  const footer = done ? (
    <button type="button" className="button button-primary" onClick={onClose}>
      Close
    </button>
  ) : (
    <>
      <button type="button" className="button" onClick={onClose}>
        Cancel
      </button>
      <button
        type="button"
        className="button button-danger"
        disabled={!check?.ok || backups.busy}
        onClick={() => void restore()}
        data-testid="restore-confirm"
      >
        Restore at next start
      </button>
    </>
  )
  return (
    <Modal title={`Restore the backup of ${fullTime(backup.createdAt)}?`} onClose={onClose} footer={footer} testId="restore-dialog">
      {done ? (
        <p role="status" data-testid="restore-done">
          The restore is ready. Restart Support Console to apply it; the current database will be kept as <code>{done.keptAs}</code>.
        </p>
      ) : !check ? (
        <p className="muted">Checking the backup…</p>
      ) : (
        <ul className="restore-changes" data-testid="restore-changes">
          {restoreChanges(check).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </Modal>
  )
}
