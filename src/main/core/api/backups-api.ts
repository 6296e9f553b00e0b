// The database's backups: listed, made by hand, scheduled, checked and restored.
import { ApiError } from '../../../shared/api'
import type { BackupCheck, BackupInfo, BackupScheduleUpdate, BackupsView, RestoreResult } from '../../../shared/review'
import { BackupNotFound, type Backups } from '../store/backups'
import type { ApiServiceDeps } from './api-deps'
import { knownApiError } from './api-errors'

export class BackupsApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'backups'>) {}

  async listBackups(): Promise<BackupsView> {
    return backupCall(() => this.#backups().view())
  }

  async createBackup(): Promise<BackupInfo> {
    return backupCall(() => this.#backups().create('manual'))
  }

  async updateBackupSchedule(update: BackupScheduleUpdate): Promise<BackupsView> {
    return backupCall(() => this.#backups().updateSchedule(update))
  }

  async checkBackup(id: string): Promise<BackupCheck> {
    return backupCall(() => this.#backups().check(id))
  }

  async restoreBackup(id: string): Promise<RestoreResult> {
    return backupCall(() => this.#backups().restore(id))
  }

  #backups(): Backups {
    const backups = this.deps.backups
    if (!backups) throw new ApiError('unavailable', 'Backups are not set up in this console.')
    return backups
  }
}

/** Backups' refusals: an unknown backup is not-found, a bad one invalid input; a file system failure is 'unavailable'. */
async function backupCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof BackupNotFound) throw new ApiError('not-found', error.message)
    const known = knownApiError(error)
    if (known) throw known
    if (error instanceof Error && 'code' in error) throw new ApiError('unavailable', `The backup could not be made: ${error.message}`)
    throw error
  }
}
