// The live settings: what the console shows in Settings and changes from there. Every part of the core reads
// settings through `current` (or `apiKey()`), so a change applies to the next draft and the next request at
// once. Changes are saved to settings.json (the API key to the vault); environment variables keep winning.
import { join } from 'node:path'
import { ApiError, type EndpointView, type SettingsUpdate, type SettingsView } from '../../../shared/api'
import type { ApiKeyVault } from './api-key-vault'
import { knowledgeBaseDirOf, readSettingsFile, SETTINGS_FILE, SettingsError, writeSettingsFile, type Settings, type SettingsFile } from './settings'

export interface SettingsServiceOptions {
  /** The local server is the console itself (web mode): moving it from Settings would cut the page off. */
  portServesConsole: boolean
}

export class SettingsService {
  private settings: Settings
  // Read once, then kept in step with every write: the vault may be slow (OS keychain) and we are its only writer.
  private savedKey: { value: string | undefined } | undefined

  constructor(
    initial: Settings,
    private readonly vault: ApiKeyVault,
    private readonly options: SettingsServiceOptions = { portServesConsole: false },
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

  /** The settings as Settings shows them, with the endpoint's state as it is now. */
  view(endpoint: Pick<EndpointView, 'url' | 'status' | 'problem'>): SettingsView {
    const { model, systemInstruction, allowedOrigins, token, port, dataDir, setByEnvironment, knowledgeBaseDir, kbPassages, kbTokenBudget } =
      this.settings
    const storage = setByEnvironment.apiKey ? 'environment' : this.readVault() ? this.vault.storage : 'none'
    return {
      model,
      systemInstruction,
      allowedOrigins: [...allowedOrigins],
      apiKey: { present: storage !== 'none', storage },
      endpoint: { url: endpoint.url, token, status: endpoint.status, problem: endpoint.problem, port, portFixedBy: this.portFixedBy() },
      dataDir,
      knowledgeBase: { dir: knowledgeBaseDir, setByEnvironment: setByEnvironment.knowledgeBaseDir, passages: kbPassages, tokenBudget: kbTokenBudget },
    }
  }

  /**
   * Saves an update already parsed by the API's declaration (api-contract.ts); refuses what only the live
   * settings can tell (values the environment sets). Nothing is changed when any part is refused.
   */
  async update(update: SettingsUpdate): Promise<void> {
    const { setByEnvironment } = this.settings
    if (update.model !== undefined && update.model !== this.settings.model && setByEnvironment.model) {
      throw new ApiError(
        'conflict',
        'The model is set by the GEMINI_MODEL environment variable, which wins over Settings. Unset it to choose the model here.',
      )
    }
    if (update.apiKey !== undefined && setByEnvironment.apiKey) {
      throw new ApiError(
        'conflict',
        'The API key is set by the GEMINI_API_KEY environment variable, which wins over Settings. Unset it to save a key here.',
      )
    }
    if (update.port !== undefined && update.port !== this.settings.port) this.checkPortChangeable()
    if (update.knowledgeBaseDir !== undefined && update.knowledgeBaseDir !== this.settings.knowledgeBaseDir && setByEnvironment.knowledgeBaseDir) {
      throw new ApiError(
        'conflict',
        'The knowledge-base folder is set by the SUPPORT_CONSOLE_KB_DIR environment variable, which wins over Settings. Unset it to choose the folder here.',
      )
    }
    const allowedOrigins = update.allowedOrigins && normaliseOrigins(update.allowedOrigins)

    const fileChanges: SettingsFile = {}
    if (update.model !== undefined && !setByEnvironment.model) fileChanges.model = update.model
    if (update.systemInstruction !== undefined) fileChanges.systemInstruction = update.systemInstruction
    if (allowedOrigins !== undefined) fileChanges.allowedOrigins = allowedOrigins
    if (update.port !== undefined && !setByEnvironment.port) fileChanges.port = update.port
    if (update.knowledgeBaseDir !== undefined && !setByEnvironment.knowledgeBaseDir) fileChanges.knowledgeBaseDir = update.knowledgeBaseDir || null
    if (update.kbPassages !== undefined) fileChanges.kbPassages = update.kbPassages
    if (update.kbTokenBudget !== undefined) fileChanges.kbTokenBudget = update.kbTokenBudget
    // The key first: a keychain that refuses it must leave the rest unchanged too.
    if (update.apiKey !== undefined) await this.saveKey(update.apiKey)
    if (Object.keys(fileChanges).length > 0) this.saveToFile(fileChanges)
    const { knowledgeBaseDir, ...plain } = fileChanges
    this.settings = {
      ...this.settings,
      ...plain,
      ...(knowledgeBaseDir !== undefined ? { knowledgeBaseDir: knowledgeBaseDirOf(this.settings.dataDir, knowledgeBaseDir) } : {}),
    }
  }

  private portFixedBy(): EndpointView['portFixedBy'] {
    if (this.settings.setByEnvironment.port) return 'environment'
    return this.options.portServesConsole ? 'web-console' : null
  }

  private checkPortChangeable(): void {
    const fixedBy = this.portFixedBy()
    if (fixedBy === 'environment') {
      throw new ApiError(
        'conflict',
        'The port is set by the SUPPORT_CONSOLE_PORT environment variable, which wins over Settings. Unset it to choose the port here.',
      )
    }
    if (fixedBy === 'web-console') {
      // Moving the server would take this very page away; the desktop app's window does not depend on it.
      throw new ApiError(
        'conflict',
        'This console is served by the endpoint, so it cannot move it. Set "port" in settings.json or SUPPORT_CONSOLE_PORT, then restart.',
      )
    }
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
      throw new ApiError(
        'unavailable',
        `Settings could not be saved to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      )
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
