// Where a Gemini API key entered in Settings is kept. The desktop app keeps it encrypted by the OS
// (Electron safeStorage, in src/main); `npm run serve` keeps it in a file only this user can read.
// GEMINI_API_KEY, when set, wins over both.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ApiKeyStorage } from '../../../shared/api'
import { writePrivateFile } from './private-file'

export interface ApiKeyVault {
  /** How a saved key is protected, for Settings to tell the user. */
  readonly storage: Exclude<ApiKeyStorage, 'environment' | 'none'>
  read(): string | undefined
  /** Saves the key, or removes it when null. May be async: an OS keychain answers asynchronously. */
  write(key: string | null): void | Promise<void>
}

export const API_KEY_FILE = 'gemini-api-key'

export class FileApiKeyVault implements ApiKeyVault {
  readonly storage = 'plaintext'
  private readonly file: string

  constructor(dataDir: string) {
    this.file = join(dataDir, API_KEY_FILE)
  }

  read(): string | undefined {
    return existsSync(this.file) ? readFileSync(this.file, 'utf8').trim() || undefined : undefined
  }

  write(key: string | null): void {
    if (key === null) rmSync(this.file, { force: true })
    else writePrivateFile(this.file, key)
  }
}
