// The desktop app's API key vault: the key encrypted with Electron's safeStorage (Keychain on macOS, DPAPI
// on Windows, the Secret Service or KWallet on Linux) in a file in the data folder. It never goes to the
// renderer: Settings shows only whether a key is present and how it is stored.
// Where safeStorage has only its plain-text fallback (Linux without a keyring: backend "basic_text", whose
// "encryption" uses a fixed, public key), the key is kept exactly as `npm run serve` keeps it, in a file
// only this user can read, and the vault says 'plaintext' so Settings can tell the user.
// safeStorage is passed in, so the vault is tested under plain Node with a stand-in.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { FileApiKeyVault, type ApiKeyVault } from './core/config/api-key-vault'
import { writePrivateFile } from './core/config/private-file'

export const ENCRYPTED_API_KEY_FILE = 'gemini-api-key.safe-storage'

/** The parts of Electron's safeStorage the vault uses (the asynchronous API; the synchronous one is deprecated). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>
  encryptStringAsync(plainText: string): Promise<Buffer>
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>
  /** Linux only. */
  getSelectedStorageBackend?(): string
}

export interface SafeStorageVaultOptions {
  dataDir: string
  safeStorage: SafeStorageLike
  platform?: NodeJS.Platform
  /** Where problems are reported; never given the key. */
  warn?(message: string): void
}

export class SafeStorageVault implements ApiKeyVault {
  private key: string | undefined
  /** Writes are applied in the order they were made. */
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    readonly storage: 'os-encrypted' | 'plaintext',
    private readonly encryptedFile: string,
    private readonly plaintext: FileApiKeyVault,
    private readonly safeStorage: SafeStorageLike,
    private readonly warn: (message: string) => void,
  ) {}

  /** Call after app `ready`: before it, safeStorage cannot tell which backend it has. */
  static async open({ dataDir, safeStorage, platform = process.platform, warn = console.warn }: SafeStorageVaultOptions): Promise<SafeStorageVault> {
    const available = await safeStorage.isAsyncEncryptionAvailable()
    const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined
    const encrypted = available && backend !== 'basic_text'
    const encryptedFile = join(dataDir, ENCRYPTED_API_KEY_FILE)
    const plaintext = new FileApiKeyVault(dataDir)
    const vault = new SafeStorageVault(encrypted ? 'os-encrypted' : 'plaintext', encryptedFile, plaintext, safeStorage, warn)
    await vault.load()
    return vault
  }

  read(): string | undefined {
    return this.key
  }

  /**
   * Saves the key (or removes it, for null). The new key is in use at once; the returned promise settles
   * when it is on disk and rejects if saving failed. A failure is also reported through `warn`, so a
   * caller that does not wait still leaves a trace.
   */
  write(key: string | null): Promise<void> {
    this.key = key ?? undefined
    const save = this.saving.then(() => this.persist(key))
    this.saving = save.catch(() => undefined)
    save.catch((error: unknown) => this.warn(`The API key could not be saved: ${describe(error)}`))
    return save
  }

  private async load(): Promise<void> {
    if (this.storage === 'plaintext') {
      this.key = this.plaintext.read()
      if (existsSync(this.encryptedFile)) {
        this.warn(
          'An API key saved while an OS keyring was available cannot be read without it. Enter the key again in Settings (it will be stored unencrypted), or start the app where the keyring is available.',
        )
      }
      return
    }
    if (existsSync(this.encryptedFile)) {
      try {
        const { result, shouldReEncrypt } = await this.safeStorage.decryptStringAsync(readFileSync(this.encryptedFile))
        this.key = result || undefined
        if (shouldReEncrypt && this.key) await this.persist(this.key)
      } catch (error) {
        this.warn(`The saved API key could not be decrypted (${describe(error)}). Enter it again in Settings.`)
      }
    }
    // A key saved unencrypted (by `npm run serve`, or while no keyring was available) moves into the
    // encrypted store, so no readable copy stays behind.
    const legacy = this.plaintext.read()
    if (legacy !== undefined) {
      if (this.key === undefined) {
        this.key = legacy
        await this.persist(legacy)
      } else {
        this.plaintext.write(null)
      }
    }
  }

  private async persist(key: string | null): Promise<void> {
    if (key === null) {
      rmSync(this.encryptedFile, { force: true })
      this.plaintext.write(null)
      return
    }
    if (this.storage === 'plaintext') {
      this.plaintext.write(key)
      // The user replaced the key: an older encrypted one must not come back when a keyring does.
      rmSync(this.encryptedFile, { force: true })
      return
    }
    writePrivateFile(this.encryptedFile, await this.safeStorage.encryptStringAsync(key))
    this.plaintext.write(null)
  }
}

// Error messages from safeStorage and the file system name files and OS errors, never the key.
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))
