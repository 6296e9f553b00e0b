// The desktop app's API key vault. Electron's safeStorage cannot run here, so a stand-in encrypts (it only
// has to make the file unreadable as text and be reversible, like the OS keychain does); everything else is
// real: files in a temp data folder, FileApiKeyVault, and, in the last test, the whole core using the vault.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { API_KEY_FILE, FileApiKeyVault } from '../src/main/core/config/api-key-vault'
import { ENCRYPTED_API_KEY_FILE, SafeStorageVault, type SafeStorageLike } from '../src/main/safe-storage-vault'
import { GeminiEmulator } from './emulator/gemini-emulator'
import { startHarness, type Harness } from './helpers/core-harness'

const KEY = 'AIzaSy-test-key-0123456789'
const MAGIC = Buffer.from('ENC1')

class StandInSafeStorage implements SafeStorageLike {
  available = true
  backend = 'gnome_libsecret'
  failEncrypt = false
  reEncrypt = false
  encryptions = 0

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (this.failEncrypt) throw new Error('Keychain is locked')
    this.encryptions++
    return Buffer.concat([MAGIC, Buffer.from(plainText, 'utf8').map((b) => b ^ 0x5a)])
  }
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (!encrypted.subarray(0, MAGIC.length).equals(MAGIC))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
    return { result: Buffer.from(encrypted.subarray(MAGIC.length).map((b) => b ^ 0x5a)).toString('utf8'), shouldReEncrypt: this.reEncrypt }
  }
  getSelectedStorageBackend(): string {
    return this.backend
  }
}

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'sc-vault-'))
const warnings: string[] = []
const open = (dataDir: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform = 'linux') =>
  SafeStorageVault.open({ dataDir, safeStorage, platform, warn: (m) => warnings.push(m) })

afterEach(() => {
  warnings.length = 0
})

describe('with an OS keyring', () => {
  it('keeps the key encrypted on disk, private to the user, and reads it back after a restart', async () => {
    const dir = freshDir()
    const safeStorage = new StandInSafeStorage()
    const vault = await open(dir, safeStorage)
    expect(vault.storage).toBe('os-encrypted')
    expect(vault.read()).toBeUndefined()
    await vault.write(KEY)
    expect(vault.read()).toBe(KEY)
    const file = join(dir, ENCRYPTED_API_KEY_FILE)
    expect(readFileSync(file).includes(Buffer.from(KEY))).toBe(false)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(existsSync(join(dir, API_KEY_FILE))).toBe(false)
    expect((await open(dir, safeStorage)).read()).toBe(KEY)
  })

  it('removes the key for null', async () => {
    const dir = freshDir()
    const vault = await open(dir, new StandInSafeStorage())
    await vault.write(KEY)
    await vault.write(null)
    expect(vault.read()).toBeUndefined()
    expect(existsSync(join(dir, ENCRYPTED_API_KEY_FILE))).toBe(false)
    expect((await open(dir, new StandInSafeStorage())).read()).toBeUndefined()
  })

  it('moves a key saved unencrypted (by npm run serve) into the encrypted store', async () => {
    const dir = freshDir()
    new FileApiKeyVault(dir).write(KEY)
    const vault = await open(dir, new StandInSafeStorage())
    expect(vault.read()).toBe(KEY)
    expect(existsSync(join(dir, API_KEY_FILE))).toBe(false)
    expect(existsSync(join(dir, ENCRYPTED_API_KEY_FILE))).toBe(true)
  })

  it('re-encrypts when the keychain asks for it (rotated key)', async () => {
    const dir = freshDir()
    const safeStorage = new StandInSafeStorage()
    await (await open(dir, safeStorage)).write(KEY)
    safeStorage.reEncrypt = true
    const before = safeStorage.encryptions
    expect((await open(dir, safeStorage)).read()).toBe(KEY)
    expect(safeStorage.encryptions).toBe(before + 1)
  })

  it('treats a key it cannot decrypt as absent, says so without the key, and keeps the file', async () => {
    const dir = freshDir()
    writeFileSync(join(dir, ENCRYPTED_API_KEY_FILE), 'not encrypted by this keychain')
    const vault = await open(dir, new StandInSafeStorage())
    expect(vault.read()).toBeUndefined()
    expect(warnings.join('\n')).toMatch(/could not be decrypted/)
    expect(existsSync(join(dir, ENCRYPTED_API_KEY_FILE))).toBe(true)
  })

  it('reports a failed save: the promise rejects and a warning is logged, never with the key', async () => {
    const dir = freshDir()
    const safeStorage = new StandInSafeStorage()
    const vault = await open(dir, safeStorage)
    safeStorage.failEncrypt = true
    await expect(vault.write(KEY)).rejects.toThrow('Keychain is locked')
    expect(warnings.join('\n')).toMatch(/could not be saved: Keychain is locked/)
    expect(warnings.join('\n')).not.toContain(KEY)
    expect(existsSync(join(dir, ENCRYPTED_API_KEY_FILE))).toBe(false)
    // Saves after a failure still happen, in order.
    safeStorage.failEncrypt = false
    await vault.write(KEY)
    expect((await open(dir, safeStorage)).read()).toBe(KEY)
  })
})

describe('without an OS keyring', () => {
  it('on Linux with the basic_text backend, stores the key like npm run serve does and says plaintext', async () => {
    const dir = freshDir()
    const safeStorage = new StandInSafeStorage()
    safeStorage.backend = 'basic_text'
    const vault = await open(dir, safeStorage, 'linux')
    expect(vault.storage).toBe('plaintext')
    await vault.write(KEY)
    expect(new FileApiKeyVault(dir).read()).toBe(KEY)
    expect(statSync(join(dir, API_KEY_FILE)).mode & 0o777).toBe(0o600)
    expect(existsSync(join(dir, ENCRYPTED_API_KEY_FILE))).toBe(false)
    expect(safeStorage.encryptions).toBe(0)
  })

  it('when encryption is unavailable, also plaintext; the backend name matters on Linux only', async () => {
    const unavailable = new StandInSafeStorage()
    unavailable.available = false
    expect((await open(freshDir(), unavailable, 'win32')).storage).toBe('plaintext')
    const macWithOddBackend = new StandInSafeStorage()
    macWithOddBackend.backend = 'basic_text'
    expect((await open(freshDir(), macWithOddBackend, 'darwin')).storage).toBe('os-encrypted')
  })

  it('warns that a key encrypted earlier cannot be read, and a new key replaces it for good', async () => {
    const dir = freshDir()
    await (await open(dir, new StandInSafeStorage())).write(KEY)
    const noKeyring = new StandInSafeStorage()
    noKeyring.backend = 'basic_text'
    const vault = await open(dir, noKeyring)
    expect(vault.read()).toBeUndefined()
    expect(warnings.join('\n')).toMatch(/cannot be read without it/)
    await vault.write('AIzaSy-newer-key-9876543210')
    expect(existsSync(join(dir, ENCRYPTED_API_KEY_FILE))).toBe(false)
    expect((await open(dir, new StandInSafeStorage())).read()).toBe('AIzaSy-newer-key-9876543210')
  })
})

describe('in the core', () => {
  let harness: Harness | undefined
  let emulator: GeminiEmulator | undefined
  afterEach(async () => {
    await harness?.close()
    await emulator?.close()
    harness = undefined
    emulator = undefined
  })

  it('is where Settings saves the key; Settings shows how it is stored, and drafts use it', async () => {
    emulator = await GeminiEmulator.start({ apiKey: KEY })
    const dataDir = freshDir()
    const apiKeyVault = await open(dataDir, new StandInSafeStorage())
    harness = await startHarness({ emulator, dataDir, apiKeyVault, env: { GEMINI_API_KEY: '' } })
    const { api } = harness.core
    expect((await api.getSettings()).apiKey).toEqual({ present: false, storage: 'none' })
    const view = await api.updateSettings({ apiKey: KEY })
    expect(view.apiKey).toEqual({ present: true, storage: 'os-encrypted' })
    expect(JSON.stringify(view)).not.toContain(KEY)
    // The vault's write settles asynchronously (the keychain is asynchronous); wait for the file, not a time.
    await expect.poll(() => existsSync(join(dataDir, ENCRYPTED_API_KEY_FILE))).toBe(true)
    expect(readFileSync(join(dataDir, ENCRYPTED_API_KEY_FILE)).includes(Buffer.from(KEY))).toBe(false)

    const { id } = await api.createConversation({})
    await api.addCustomerMessage(id, 'Hello')
    const ended = new Promise<string>((resolve) => {
      const stop = api.onConversationEvents(id, ({ event }) => {
        if (event.type !== 'end') return
        stop()
        resolve(event.status)
      })
    })
    await api.startDraft(id)
    expect(await ended).toBe('complete')
  })
})
