// Configuration: environment variables override settings.json in the data folder, which overrides defaults.
// A settings file we cannot read is reported, never overwritten.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { describeIssue } from '../../../shared/schemas'
import { defaultDataDir } from './data-dir'
import { writePrivateFile } from './private-file'

export const DEFAULT_PORT = 7439
export const DEFAULT_MODEL = 'gemini-flash-latest'
export const DEFAULT_SYSTEM_INSTRUCTION = [
  'You draft replies for a customer support agent, who will review and edit them before sending.',
  'Write to the customer directly, in the language they wrote in. Be warm, concise and specific.',
  'Never invent order details, policies or promises; where you lack a fact, leave a clearly marked gap like [order number].',
].join(' ')

export const SETTINGS_FILE = 'settings.json'
export const DATABASE_FILE = 'support-console.db'

const loopbackHosts = ['127.0.0.1', '::1', 'localhost']

const port = z.coerce.number().int().min(0).max(65_535)
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL')
  // The SDK joins baseUrl and path without normalising.
  .transform((u) => u.replace(/\/+$/, ''))
const origin = z
  .string()
  .refine((o) => /^https?:\/\/[^/]+$/.test(o), 'must be an origin such as https://helpdesk.example.com (no path)')

/** What settings.json may hold. Every field is optional; unknown fields are refused so typos surface. */
export const settingsFileSchema = z
  .object({
    model: z.string().min(1).max(100),
    baseUrl: httpUrl,
    host: z.string().min(1),
    port,
    token: z.string().min(16, 'token must be at least 16 characters'),
    allowedOrigins: z.array(origin),
    systemInstruction: z.string().max(20_000),
    maxConcurrentStreams: z.number().int().min(1).max(10_000),
    idleTimeoutMs: z.number().int().min(1_000),
    disconnectGraceMs: z.number().int().min(0),
  })
  .partial()
  .strict()
export type SettingsFile = z.infer<typeof settingsFileSchema>

export interface Settings {
  apiKey: string | undefined
  model: string
  baseUrl: string | undefined
  dataDir: string
  databaseFile: string
  host: string
  port: number
  token: string
  /** True when the token was generated and saved just now, so the user should be shown it. */
  tokenGenerated: boolean
  allowedOrigins: string[]
  systemInstruction: string
  maxConcurrentStreams: number
  idleTimeoutMs: number
  disconnectGraceMs: number
  /** Bound address is not loopback: every device on the network can reach the endpoint. */
  exposed: boolean
  /** Values the environment sets: they win over settings.json, so the console cannot change them. */
  setByEnvironment: { model: boolean; apiKey: boolean }
}

export const DEFAULTS = {
  model: DEFAULT_MODEL,
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  allowedOrigins: [] as string[],
  systemInstruction: DEFAULT_SYSTEM_INSTRUCTION,
  maxConcurrentStreams: 100,
  idleTimeoutMs: 30_000,
  // Long enough for an EventSource to reconnect (we ask for `retry: 2000`), short enough not to spend quota.
  disconnectGraceMs: 10_000,
}

export class SettingsError extends Error {
  override name = 'SettingsError'
}

/** Reads and validates settings.json ({} when there is none); a bad file is reported, never replaced. */
export function readSettingsFile(file: string): SettingsFile {
  if (!existsSync(file)) return {}
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new SettingsError(`${file} is not valid JSON (${(error as Error).message}). Fix or remove it; it was left untouched.`)
  }
  const parsed = settingsFileSchema.safeParse(raw)
  if (!parsed.success) throw new SettingsError(`${file}: ${describeIssue(parsed.error)}. Fix it; it was left untouched.`)
  return parsed.data
}

export function writeSettingsFile(file: string, settings: SettingsFile): void {
  writePrivateFile(file, `${JSON.stringify(settings, null, 2)}\n`)
}

function fromEnv<T>(env: NodeJS.ProcessEnv, name: string, schema: z.ZodType<T>): T | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new SettingsError(`${name}: ${describeIssue(parsed.error)}`)
  return parsed.data
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const dataDir = env.SUPPORT_CONSOLE_DATA_DIR || defaultDataDir(env)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const settingsPath = join(dataDir, SETTINGS_FILE)
  const file = readSettingsFile(settingsPath)

  let token = fromEnv(env, 'SUPPORT_CONSOLE_TOKEN', z.string().min(16, 'must be at least 16 characters')) ?? file.token
  let tokenGenerated = false
  if (!token) {
    token = randomBytes(32).toString('base64url')
    writeSettingsFile(settingsPath, { ...file, token })
    tokenGenerated = true
  }

  const host = file.host ?? DEFAULTS.host
  const apiKey = env.GEMINI_API_KEY?.trim() || undefined
  const envModel = fromEnv(env, 'GEMINI_MODEL', z.string().min(1).max(100))
  return {
    apiKey,
    model: envModel ?? file.model ?? DEFAULTS.model,
    baseUrl: fromEnv(env, 'GEMINI_BASE_URL', httpUrl) ?? file.baseUrl,
    dataDir,
    databaseFile: join(dataDir, DATABASE_FILE),
    host,
    port: fromEnv(env, 'SUPPORT_CONSOLE_PORT', port) ?? file.port ?? DEFAULTS.port,
    token,
    tokenGenerated,
    allowedOrigins: file.allowedOrigins ?? DEFAULTS.allowedOrigins,
    systemInstruction: file.systemInstruction ?? DEFAULTS.systemInstruction,
    maxConcurrentStreams: file.maxConcurrentStreams ?? DEFAULTS.maxConcurrentStreams,
    idleTimeoutMs: file.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    disconnectGraceMs: file.disconnectGraceMs ?? DEFAULTS.disconnectGraceMs,
    exposed: !loopbackHosts.includes(host),
    setByEnvironment: { model: envModel !== undefined, apiKey: apiKey !== undefined },
  }
}
