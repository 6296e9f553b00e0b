// Settings → Backups: the list and schedule, backing up now, changing the schedule, and checking and restoring a
// backup. Each change reloads the list; failures are said where they happened.
import { useCallback, useEffect, useState } from 'react'
import type { BackupCheck, BackupInfo, BackupScheduleUpdate, BackupsView, RestoreResult } from '../../../shared/review'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'

export interface Backups {
  view: BackupsView | null
  error: string | null
  busy: boolean
  backUpNow(): Promise<void>
  updateSchedule(update: BackupScheduleUpdate): Promise<void>
  check(backup: BackupInfo): Promise<BackupCheck | null>
  restore(backup: BackupInfo): Promise<RestoreResult | null>
}

export function useBackups(): Backups {
  const api = useApi()
  const { toast } = useNotices()
  const [view, setView] = useState<BackupsView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const reload = useCallback(async () => {
    try {
      setView(await api.listBackups())
      setError(null)
    } catch (e) {
      setError(describeError(e))
    }
  }, [api])

  useEffect(() => {
    void reload()
  }, [reload])

  const run = useCallback(
    async <T>(work: () => Promise<T>): Promise<T | null> => {
      setBusy(true)
      try {
        return await work()
      } catch (e) {
        toast(describeError(e), 'error')
        return null
      } finally {
        setBusy(false)
      }
    },
    [toast],
  )

  return {
    view,
    error,
    busy,
    backUpNow: useCallback(async () => {
      const made = await run(() => api.createBackup())
      if (made) toast('Backed up', 'success')
      await reload()
    }, [api, reload, run, toast]),
    updateSchedule: useCallback(
      async (update: BackupScheduleUpdate) => {
        const next = await run(() => api.updateBackupSchedule(update))
        if (next) setView(next)
      },
      [api, run],
    ),
    check: useCallback((backup: BackupInfo) => run(() => api.checkBackup(backup.id)), [api, run]),
    restore: useCallback((backup: BackupInfo) => run(() => api.restoreBackup(backup.id)), [api, run]),
  }
}
