// The live settings: what the console shows in Settings and changes from there. Every part of the core reads
// settings through `current` (or `apiKey()`), so a change applies to the next draft and the next request at
// once. Changes are saved to settings.json (the API key to the vault); environment variables keep winning.
import { join } from 'node:path'
import { ApiError, type SettingsUpdate, type SettingsView } from '../../../shared/api'
import { describeIssue, settingsUpdate } from '../../../shared/schemas'
import type { ApiKeyVault } from './api-key-vault'
import { readSettingsFile, SETTINGS_FILE, SettingsError, writeSettingsFile, type Settings, type SettingsFile } from './settings'

export class SettingsService {
  private settings: Settings
  // Read once, then kept in step with every write: the vault may be slow (OS keychain) and we are its only writer.
  private savedKey: { value: string | undefined } | undefined

  constructor(
    initial: Settings,
    private readonly vault: ApiKeyVault,
  ) {
    this.settings = initial
  }

  /** The settings as they are now. A new object after each update: read it again rather than keeping it. */
  get current(): Settings {
    return this.settings
  }

  /** The key a draft should use: GEMINI_API_KEY, else the one saved from Settings. Never logged, never shown. */
  apiKey(): string | undefined {
    return this.settings.apiKey ?? this.readVault()
  }

  view(endpointUrl: string): SettingsView {
    const { model, systemInstruction, allowedOrigins, token, dataDir, setByEnvironment } = this.settings
    const storage = setByEnvironment.apiKey ? 'environment' : this.readVault() ? this.vault.storage : 'none'
    return {
      model,
      systemInstruction,
      allowedOrigins: [...allowedOrigins],
      apiKey: { present: storage !== 'none', storage },
      endpoint: { url: endpointUrl, token },
      dataDir,
    }
  }

  /** Validates the whole update, then saves it; nothing is changed when any part is refused. */
  async update(input: unknown): Promise<void> {
    const parsed = settingsUpdate.safeParse(input)
    if (!parsed.success) throw new ApiError('invalid-input', describeIssue(parsed.error))
    const update: SettingsUpdate = parsed.data
    const { setByEnvironment } = this.settings
    if (update.model !== undefined && update.model !== this.settings.model && setByEnvironment.model) {
      throw new ApiError('conflict', 'The model is set by the GEMINI_MODEL environment variable, which wins over Settings. Unset it to choose the model here.')
    }
    if (update.apiKey !== undefined && setByEnvironment.apiKey) {
      throw new ApiError('conflict', 'The API key is set by the GEMINI_API_KEY environment variable, which wins over Settings. Unset it to save a key here.')
    }
    const allowedOrigins = update.allowedOrigins && normaliseOrigins(update.allowedOrigins)

    const fileChanges: SettingsFile = {}
    if (update.model !== undefined && !setByEnvironment.model) fileChanges.model = update.model
    if (update.systemInstruction !== undefined) fileChanges.systemInstruction = update.systemInstruction
    if (allowedOrigins !== undefined) fileChanges.allowedOrigins = allowedOrigins
    // The key first: a keychain that refuses it must leave the rest unchanged too.
    if (update.apiKey !== undefined) await this.saveKey(update.apiKey)
    if (Object.keys(fileChanges).length > 0) this.saveToFile(fileChanges)
    this.settings = { ...this.settings, ...fileChanges }
  }

  // Re-read, then merge: settings.json holds more than Settings edits (token, port, host...), and the user may
  // have changed it by hand since start-up. A file that has become invalid is reported and left alone.
  private saveToFile(changes: SettingsFile): void {
    const file = join(this.settings.dataDir, SETTINGS_FILE)
    let saved: SettingsFile
    try {
      saved = readSettingsFile(file)
    } catch (error) {
      const reason = error instanceof SettingsError ? error.message : String(error)
      throw new ApiError('unavailable', `Settings were not saved: ${reason}`)
    }
    try {
      writeSettingsFile(file, { ...saved, ...changes })
    } catch (error) {
      throw new ApiError('unavailable', `Settings could not be saved to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
    }
  }

  private async saveKey(key: string | null): Promise<void> {
    try {
      await this.vault.write(key)
    } catch (error) {
      // The vault's own message is about storage (keychain, file); it never holds the key.
      throw new ApiError('unavailable', `The API key could not be ${key === null ? 'removed' : 'saved'}: ${(error as Error).message}`)
    }
    this.savedKey = { value: key ?? undefined }
  }

  private readVault(): string | undefined {
    if (!this.savedKey) {
      try {
        this.savedKey = { value: this.vault.read() }
      } catch (error) {
        // Unreadable (e.g. encrypted by another OS account): treated as no key, so drafting says "no API key".
        console.error(`The saved API key could not be read (${(error as Error).message}); add it again in Settings.`)
        return undefined
      }
    }
    return this.savedKey.value
  }
}

// Browsers send Origin in this form (lower-case host, no default port), and it is what the server compares.
function normaliseOrigins(origins: string[]): string[] {
  const normalised = origins.map((origin) => {
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      throw new ApiError('invalid-input', `${origin} is not a valid origin.`)
    }
    if (url.origin === 'null') throw new ApiError('invalid-input', `${origin} is not a valid origin.`)
    return url.origin
  })
  return [...new Set(normalised)]
}
