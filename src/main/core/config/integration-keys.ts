// Integration keys, kept in a private file in the data folder. Only a SHA-256 digest of each secret is stored
// (a key is 256 random bits, so a digest cannot be reversed by guessing), never the secret itself, so neither the
// file, the database nor the renderer ever holds a usable key.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import {
  INTEGRATION_SCOPES,
  type CreatedIntegrationKey,
  type IntegrationKeyView,
  type IntegrationScope,
  integrationKeyLimits,
  newIntegrationKey,
  type NewIntegrationKey,
} from '../../../shared/integration-keys'
import { APP_SOURCE } from '../../../shared/domain'
import { describeIssue } from '../../../shared/schemas'
import { writePrivateFile } from './private-file'

export const INTEGRATION_KEYS_FILE = 'integration-keys.json'
/** Every key starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const KEY_PREFIX = 'sck_'
/** How often last-used times are written at most: a key used for every request must not cost a write each. */
const LAST_USED_WRITE_MS = 60_000
const MAX_KEYS = 200

const storedKey = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(INTEGRATION_SCOPES)),
  prefix: z.string(),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  // Optional: files written before keys had limits hold none, and those keys get the defaults.
  limits: integrationKeyLimits.optional(),
})
const keysFile = z.object({ version: z.literal(1), keys: z.array(storedKey) }).strict()
type StoredKey = z.infer<typeof storedKey>

export class IntegrationKeysFileError extends Error {
  override name = 'IntegrationKeysFileError'
}

/** A key by that name exists already: names are the source its drafts are saved under, so they must tell keys apart. */
export class IntegrationKeyNameTaken extends Error {
  override name = 'IntegrationKeyNameTaken'
}

const digest = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex')

const sameName = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0

export class IntegrationKeys {
  private readonly file: string
  private readonly byDigest = new Map<string, StoredKey>()
  private lastUsedTimer: NodeJS.Timeout | undefined
  private readonly revokeListeners = new Set<(id: string) => void>()

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = join(dataDir, INTEGRATION_KEYS_FILE)
    for (const key of this.read()) this.byDigest.set(key.sha256, key)
  }

  list(): IntegrationKeyView[] {
    return [...this.byDigest.values()].map(view).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  /** Creates a key; the answer holds its secret, which is not kept and cannot be shown again. */
  create(input: NewIntegrationKey): CreatedIntegrationKey {
    const parsed = newIntegrationKey.safeParse(input)
    if (!parsed.success) throw new RangeError(describeIssue(parsed.error))
    if (this.byDigest.size >= MAX_KEYS) throw new RangeError(`There are already ${MAX_KEYS} integration keys; revoke some first.`)
    const name = parsed.data.name
    // The console's own drafts are saved under APP_SOURCE: a key by that name could pass for the console.
    if (sameName(name, APP_SOURCE)) throw new RangeError(`"${APP_SOURCE}" is the console's own source; give the key another name.`)
    if ([...this.byDigest.values()].some((key) => sameName(key.name, name))) {
      throw new IntegrationKeyNameTaken(`There is already an integration key named "${name}"; give this one another name or revoke that one first.`)
    }
    const secret = KEY_PREFIX + randomBytes(32).toString('base64url')
    const key: StoredKey = {
      id: randomBytes(8).toString('hex'),
      name,
      scopes: parsed.data.scopes,
      prefix: secret.slice(0, KEY_PREFIX.length + 6),
      sha256: digest(secret),
      createdAt: this.now().toISOString(),
      lastUsedAt: null,
      ...(parsed.data.limits && Object.keys(parsed.data.limits).length > 0 ? { limits: parsed.data.limits } : {}),
    }
    this.byDigest.set(key.sha256, key)
    try {
      this.save()
    } catch (error) {
      // Not saved means not created: a key that would vanish at the next start must not be handed out.
      this.byDigest.delete(key.sha256)
      throw error
    }
    return { key: view(key), secret }
  }

  /**
   * Revokes at once: the next request with the key is refused. False when there is no such key. If the file cannot
   * be written the key stays revoked in this process and the error is thrown, so the caller can say it may return.
   */
  revoke(id: string): boolean {
    for (const [sha, key] of this.byDigest) {
      if (key.id !== id) continue
      this.byDigest.delete(sha)
      // Streams opened with the key end now too, even if the file cannot be written below.
      for (const listener of [...this.revokeListeners]) listener(id)
      this.save()
      return true
    }
    return false
  }

  /** Calls `listener` with the id of each key revoked from now on; the returned function stops it. */
  onRevoke(listener: (id: string) => void): () => void {
    const once = (id: string): void => listener(id)
    this.revokeListeners.add(once)
    return () => {
      this.revokeListeners.delete(once)
    }
  }

  /** The key a presented secret belongs to, with its last-used time updated; undefined for any other string. */
  authenticate(secret: string): IntegrationKeyView | undefined {
    if (!secret.startsWith(KEY_PREFIX)) return undefined
    // A map lookup by digest: the lookup time depends on the digest, which an attacker cannot steer towards a key.
    const key = this.byDigest.get(digest(secret))
    if (!key) return undefined
    key.lastUsedAt = this.now().toISOString()
    this.lastUsedTimer ??= setTimeout(() => this.flushLastUsed(), LAST_USED_WRITE_MS).unref()
    return view(key)
  }

  /** Writes pending last-used times (at shutdown). */
  flushLastUsed(): void {
    clearTimeout(this.lastUsedTimer)
    this.lastUsedTimer = undefined
    try {
      this.save()
    } catch (error) {
      // A last-used time is a convenience; failing to save it must not fail the request or the shutdown.
      console.warn(`Could not save integration keys' last-used times to ${this.file}: ${(error as Error).message}`)
    }
  }

  private read(): StoredKey[] {
    if (!existsSync(this.file)) return []
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (error) {
      throw new IntegrationKeysFileError(`${this.file} could not be read (${(error as Error).message}). Fix its permissions; it was left unchanged.`)
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw new IntegrationKeysFileError(`${this.file} is not valid JSON (${(error as Error).message}). Fix or remove it; it was left unchanged.`)
    }
    const parsed = keysFile.safeParse(raw)
    if (!parsed.success)
      throw new IntegrationKeysFileError(
        `${this.file} is not a keys file this version understands: ${describeIssue(parsed.error)}. It was left unchanged.`,
      )
    return parsed.data.keys
  }

  private save(): void {
    writePrivateFile(this.file, `${JSON.stringify({ version: 1, keys: [...this.byDigest.values()] }, null, 2)}\n`)
  }
}

/**
 * The keys, or the refusal of a keys file this version cannot use: logged, and the console starts without
 * integration keys rather than not at all. The file is left as it is (nothing here writes to it).
 */
export function openIntegrationKeys(dataDir: string, log: (message: string) => void = console.error): IntegrationKeys | IntegrationKeysFileError {
  try {
    return new IntegrationKeys(dataDir)
  } catch (error) {
    if (!(error instanceof IntegrationKeysFileError)) throw error
    log(`Integration keys are unavailable (the console's own session works as usual): ${error.message}`)
    return error
  }
}

function view({ id, name, scopes, prefix, createdAt, lastUsedAt, limits }: StoredKey): IntegrationKeyView {
  return { id, name, scopes: [...scopes] as IntegrationScope[], prefix, createdAt, lastUsedAt, ...(limits ? { limits: { ...limits } } : {}) }
}
