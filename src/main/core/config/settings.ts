// Configuration: environment variables override settings.json in the data folder, which overrides defaults.
// A settings file we cannot read is reported, never overwritten: start-up stops with a message that names the
// file, and the file keeps its exact bytes where the user left them (nothing renamed, nothing rewritten).
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import {
  DEFAULT_KB_PASSAGES,
  DEFAULT_KB_TOKEN_BUDGET,
  MAX_KB_DIR_CHARS,
  MAX_KB_PASSAGES,
  MAX_KB_TOKEN_BUDGET,
  MAX_MODEL_NAME_CHARS,
  MAX_PERSONA_CHARS,
  MIN_KB_PASSAGES,
  MIN_KB_TOKEN_BUDGET,
} from '../../../shared/limits'
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
/**
 * The settings.json format this version understands. A file may say which format it is in (`version`); one from
 * a newer Support Console is refused rather than half-read, and never rewritten in the older format.
 */
export const SETTINGS_VERSION = 1
export const DATABASE_FILE = 'support-console.db'

const loopbackHosts = ['127.0.0.1', '::1', 'localhost']

// Coerced from the environment's strings; settings.json must hold a number, so "8080" there is reported as a string.
const envPort = z.coerce.number().int().min(0).max(65_535)
const port = z.number().int().min(0).max(65_535)
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL')
  // The SDK joins baseUrl and path without normalising.
  .transform((u) => u.replace(/\/+$/, ''))
const origin = z.string().refine((o) => /^https?:\/\/[^/]+$/.test(o), 'must be an origin such as https://helpdesk.example.com (no path)')

const MAX_GEMINI_THREADS = 16

/** What settings.json may hold. Every field is optional; unknown fields are refused so typos surface. */
export const settingsFileSchema = z
  .object({
    version: z.number().int().min(1).max(SETTINGS_VERSION),
    model: z.string().min(1).max(MAX_MODEL_NAME_CHARS),
    baseUrl: httpUrl,
    host: z.string().min(1),
    port,
    token: z.string().min(16, 'token must be at least 16 characters'),
    allowedOrigins: z.array(origin),
    systemInstruction: z.string().max(MAX_PERSONA_CHARS),
    maxConcurrentStreams: z.number().int().min(1).max(10_000),
    idleTimeoutMs: z.number().int().min(1_000),
    disconnectGraceMs: z.number().int().min(0),
    geminiThreads: z.number().int().min(0).max(MAX_GEMINI_THREADS),
    /** The knowledge base's folder; null (or absent) for none. A relative path is taken from the data folder. */
    knowledgeBaseDir: z.string().min(1).max(MAX_KB_DIR_CHARS).nullable(),
    kbPassages: z.number().int().min(MIN_KB_PASSAGES).max(MAX_KB_PASSAGES),
    kbTokenBudget: z.number().int().min(MIN_KB_TOKEN_BUDGET).max(MAX_KB_TOKEN_BUDGET),
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
  /** Worker threads that run the Gemini SDK's streams; 0 runs them on the main thread. */
  geminiThreads: number
  /** The knowledge base's folder (absolute), or null for none: SUPPORT_CONSOLE_KB_DIR, else settings.json. */
  knowledgeBaseDir: string | null
  /** At most this many passages ground a draft... */
  kbPassages: number
  /** ...within this many tokens (estimated at four characters a token). */
  kbTokenBudget: number
  /** Bound address is not loopback: every device on the network can reach the endpoint. */
  exposed: boolean
  /** Values the environment sets: they win over settings.json, so the console cannot change them. */
  setByEnvironment: { model: boolean; apiKey: boolean; port: boolean; knowledgeBaseDir: boolean }
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
  // Every core but the one the main thread needs, and at least one: the main thread then only relays text (issue 11).
  // More than four only adds idle threads: one thread carried 1,000 concurrent drafts in the bench.
  geminiThreads: Math.min(4, Math.max(1, availableParallelism() - 1)),
  knowledgeBaseDir: null as string | null,
  kbPassages: DEFAULT_KB_PASSAGES,
  kbTokenBudget: DEFAULT_KB_TOKEN_BUDGET,
}

export class SettingsError extends Error {
  override name = 'SettingsError'
}

/** Reads and validates settings.json ({} when there is none); a bad file is reported, never replaced. */
export function readSettingsFile(file: string): SettingsFile {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {}
    throw new SettingsError(
      `${file} could not be read (${code ?? (error as Error).message}). Make it a file you can read, or remove it; it was left untouched.`,
    )
  }
  let text: string
  try {
    // Fatal: a lenient decoder would turn bytes it cannot read into U+FFFD, and the next save would write that
    // back, losing the user's characters. The decoder drops a leading byte-order mark, as Windows editors add one.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new SettingsError(`${file} is not UTF-8 text. Save it as UTF-8; it was left untouched.`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new SettingsError(`${file} is not valid JSON (${jsonProblem(error)}). Fix or remove it; it was left untouched.`)
  }
  const version = typeof raw === 'object' && raw !== null && 'version' in raw ? raw.version : undefined
  if (typeof version === 'number' && version > SETTINGS_VERSION) {
    throw new SettingsError(
      `${file} was written by a newer Support Console (settings version ${version}; this one reads versions up to ${SETTINGS_VERSION}). ` +
        'Update Support Console, or move the file away to start with defaults; it was left untouched.',
    )
  }
  const parsed = settingsFileSchema.safeParse(raw)
  if (!parsed.success) throw new SettingsError(`${file}: ${describeIssue(parsed.error)}. Fix it; it was left untouched.`)
  return parsed.data
}

// V8 quotes the text around a syntax error ("…" is not valid JSON); settings.json holds the endpoint token, which
// must not reach a log or an error dialog that way. What is left says what is wrong and, usually, where.
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/,?\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '').trim() || 'a syntax error'
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
  const envModel = fromEnv(env, 'GEMINI_MODEL', z.string().min(1).max(MAX_MODEL_NAME_CHARS))
  const envPortValue = fromEnv(env, 'SUPPORT_CONSOLE_PORT', envPort)
  const envKbDir = fromEnv(env, 'SUPPORT_CONSOLE_KB_DIR', z.string().max(MAX_KB_DIR_CHARS))
  return {
    apiKey,
    model: envModel ?? file.model ?? DEFAULTS.model,
    baseUrl: fromEnv(env, 'GEMINI_BASE_URL', httpUrl) ?? file.baseUrl,
    dataDir,
    databaseFile: join(dataDir, DATABASE_FILE),
    host,
    port: envPortValue ?? file.port ?? DEFAULTS.port,
    token,
    tokenGenerated,
    allowedOrigins: file.allowedOrigins ?? DEFAULTS.allowedOrigins,
    systemInstruction: file.systemInstruction ?? DEFAULTS.systemInstruction,
    maxConcurrentStreams: file.maxConcurrentStreams ?? DEFAULTS.maxConcurrentStreams,
    idleTimeoutMs: file.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    disconnectGraceMs: file.disconnectGraceMs ?? DEFAULTS.disconnectGraceMs,
    geminiThreads: file.geminiThreads ?? DEFAULTS.geminiThreads,
    // The environment's path is the shell's (from the working folder); settings.json's is from the data folder.
    knowledgeBaseDir: envKbDir !== undefined ? resolve(envKbDir) : knowledgeBaseDirOf(dataDir, file.knowledgeBaseDir),
    kbPassages: file.kbPassages ?? DEFAULTS.kbPassages,
    kbTokenBudget: file.kbTokenBudget ?? DEFAULTS.kbTokenBudget,
    exposed: !loopbackHosts.includes(host),
    setByEnvironment: {
      model: envModel !== undefined,
      apiKey: apiKey !== undefined,
      port: envPortValue !== undefined,
      knowledgeBaseDir: envKbDir !== undefined,
    },
  }
}

/** settings.json's knowledgeBaseDir as an absolute path (relative ones are from the data folder); null for none. */
export function knowledgeBaseDirOf(dataDir: string, value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : resolve(dataDir, value)
}
