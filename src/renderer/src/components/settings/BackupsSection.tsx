// Settings → Backups: the backups (newest first, with size and date), "Back up now", the schedule, restoring one
// after a confirmation that says what will change, and importing conversations from a JSON export.
import { useId, useState } from 'react'
import type { BackupInfo } from '../../../../shared/review'
import { useBackups } from '../../hooks/useBackups'
import { fileSize } from '../../state/backups'
import { fullTime } from '../../state/format-time'
import { BackupsImport } from './BackupsImport'
import { BackupsRestoreDialog } from './BackupsRestoreDialog'
import { BackupsSchedule } from './BackupsSchedule'

export function BackupsSection() {
  const headingId = useId()
  const backups = useBackups()
  const [restoring, setRestoring] = useState<BackupInfo | null>(null)
  const { view } = backups
  return (
    <section className="settings-section" aria-labelledby={headingId} data-testid="backups-section">
      <h3 id={headingId}>Backups and import</h3>
      {backups.error && <p className="field-error">Could not load the backups: {backups.error}</p>}
      {view && (
        <>
          <p className="muted small">
            Kept in <code>{view.dir}</code>. Last backup: {view.lastBackupAt ? fullTime(view.lastBackupAt) : 'none yet'}
            {view.schedule.enabled && view.nextBackupAt && ` · next: ${fullTime(view.nextBackupAt)}`}
          </p>
          <BackupsSchedule schedule={view.schedule} busy={backups.busy} onChange={(u) => void backups.updateSchedule(u)} />
          <button type="button" className="button" disabled={backups.busy} onClick={() => void backups.backUpNow()} data-testid="backup-now">
            {backups.busy ? 'Working…' : 'Back up now'}
          </button>
          {view.backups.length === 0 ? (
            <p className="muted small">No backups yet.</p>
          ) : (
            <table className="backup-table" data-testid="backup-list">
              <thead>
                <tr>
                  <th scope="col">Made</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Size</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.backups.map((b) => (
                  <tr key={b.id} data-testid="backup-row" data-backup={b.id}>
                    <td>{fullTime(b.createdAt)}</td>
                    <td>{b.kind === 'manual' ? 'By hand' : 'Scheduled'}</td>
                    <td>{fileSize(b.sizeBytes)}</td>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setRestoring(b)}
                        aria-label={`Restore the backup of ${fullTime(b.createdAt)}`}
                      >
                        Restore…
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <BackupsImport />
      {restoring && <BackupsRestoreDialog backup={restoring} backups={backups} onClose={() => setRestoring(null)} />}
    </section>
  )
}
