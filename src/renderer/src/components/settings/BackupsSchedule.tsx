// The backup schedule: on or off, how often, and how many scheduled backups are kept. Numbers are saved when
// their field loses focus.
import { useEffect, useState } from 'react'
import type { BackupSchedule, BackupScheduleUpdate } from '../../../../shared/review'

export interface BackupsScheduleProps {
  schedule: BackupSchedule
  busy: boolean
  onChange(update: BackupScheduleUpdate): void
}

export function BackupsSchedule({ schedule, busy, onChange }: BackupsScheduleProps) {
  const [hours, setHours] = useState(String(schedule.intervalHours))
  const [keep, setKeep] = useState(String(schedule.keep))
  useEffect(() => setHours(String(schedule.intervalHours)), [schedule.intervalHours])
  useEffect(() => setKeep(String(schedule.keep)), [schedule.keep])
  const commit = (field: 'intervalHours' | 'keep', text: string, min: number, max: number): void => {
    const n = Number(text)
    if (Number.isInteger(n) && n >= min && n <= max && n !== schedule[field]) onChange({ [field]: n })
    else if (!(Number.isInteger(n) && n >= min && n <= max)) (field === 'keep' ? setKeep : setHours)(String(schedule[field]))
  }
  return (
    <fieldset className="backup-schedule" disabled={busy}>
      <legend>Schedule</legend>
      <label className="check-option">
        <input
          type="checkbox"
          checked={schedule.enabled}
          onChange={(e) => onChange({ enabled: e.target.checked })}
          data-testid="backup-schedule-enabled"
        />
        Back up automatically
      </label>
      <label>
        Every (hours, 1–720)
        <input inputMode="numeric" value={hours} onChange={(e) => setHours(e.target.value)} onBlur={() => commit('intervalHours', hours, 1, 720)} />
      </label>
      <label>
        Keep the last (1–100)
        <input inputMode="numeric" value={keep} onChange={(e) => setKeep(e.target.value)} onBlur={() => commit('keep', keep, 1, 100)} />
      </label>
    </fieldset>
  )
}
