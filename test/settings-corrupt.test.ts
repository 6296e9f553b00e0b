// A settings.json the console cannot use (not JSON, wrong types, not UTF-8, written by a newer version) stops
// start-up with a message that names the file, and its bytes survive exactly where they were: the message says
// the file was left untouched, and nothing is ever written over it, at start-up or when Settings are saved.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../src/shared/api'
import { FileApiKeyVault } from '../src/main/core/config/api-key-vault'
import { loadSettings, SETTINGS_FILE, SETTINGS_VERSION, SettingsError } from '../src/main/core/config/settings'
import { SettingsService } from '../src/main/core/config/settings-service'
import { PROJECT_ROOT } from '../src/main/core/cli/web-console'

const TOKEN = 'corrupt-test-token-0123456789'

function dataDirWith(content: string | Buffer): { dataDir: string; file: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-bad-settings-'))
  const file = join(dataDir, SETTINGS_FILE)
  writeFileSync(file, content)
  return { dataDir, file }
}

function loadError(dataDir: string): SettingsError {
  try {
    loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir })
  } catch (error) {
    if (error instanceof SettingsError) return error
    throw new Error(`expected a SettingsError, got ${String(error)}`, { cause: error })
  }
  throw new Error('expected loadSettings to refuse the file')
}

// Unusable for different reasons; none has a token, so a loader that carried on would write the file at once.
const corrupt: [string, string | Buffer][] = [
  ['not JSON', '{ "model": "gemini-flash-latest",'],
  ['empty', ''],
  ['JSON null', 'null'],
  ['a JSON array', '["model"]'],
  ['a JSON string', '"gemini-flash-latest"'],
  ['a number where a port goes', JSON.stringify({ port: 'eighty' })],
  ['a string where a list goes', JSON.stringify({ allowedOrigins: 'https://helpdesk.example.com' })],
  ['a misspelt field', JSON.stringify({ modle: 'gemini-pro' })],
  ['a version that is not a number', JSON.stringify({ version: 'two' })],
  // "Café" saved as Latin-1: read as UTF-8 it would become "Caf\uFFFD", and the next save would lose the é for good.
  ['not UTF-8', Buffer.concat([Buffer.from('{"systemInstruction":"Caf'), Buffer.from([0xe9]), Buffer.from('"}')])],
]

describe('a settings.json the console cannot use', () => {
  it.each(corrupt)('%s: refused with the file named, its bytes kept, nothing else written', (_name, content) => {
    const { dataDir, file } = dataDirWith(content)
    const error = loadError(dataDir)
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/left untouched/)
    expect(error.message).not.toContain('\n')
    expect(readFileSync(file)).toEqual(Buffer.from(content))
    expect(readdirSync(dataDir)).toEqual([SETTINGS_FILE])
  })

  it('refuses a file written by a newer Support Console, saying so rather than calling its fields unknown', () => {
    const content = JSON.stringify({ version: SETTINGS_VERSION + 1, token: TOKEN, themeAccent: 'teal' }, null, 2)
    const { dataDir, file } = dataDirWith(content)
    const error = loadError(dataDir)
    expect(error.message).toContain(file)
    expect(error.message).toMatch(new RegExp(`newer Support Console.*version ${SETTINGS_VERSION + 1}.*up to ${SETTINGS_VERSION}`))
    expect(error.message).not.toMatch(/themeAccent|unrecognized/i)
    expect(error.message).toMatch(/left untouched/)
    expect(readFileSync(file, 'utf8')).toBe(content)
  })

  it('accepts the version it knows, and keeps it when it adds a token', () => {
    const { dataDir, file } = dataDirWith(JSON.stringify({ version: SETTINGS_VERSION, model: 'gemini-from-file' }))
    expect(loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir }).model).toBe('gemini-from-file')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: SETTINGS_VERSION, model: 'gemini-from-file' })
  })

  it('does not quote the file in the message: it holds the endpoint token', () => {
    // The quotes forgotten: the parser's own message quotes the text around the mistake, the token's start included.
    const content = `{"token": ${TOKEN}}`
    const leaked = TOKEN.slice(0, 10)
    expect(() => JSON.parse(content)).toThrow(leaked)
    const { dataDir, file } = dataDirWith(content)
    const error = loadError(dataDir)
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(.+\\)\\. Fix or remove it`))
    expect(error.message).not.toContain(leaked)
  })

  it('names the path when settings.json cannot be read at all (a folder in its place)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sc-bad-settings-'))
    const file = join(dataDir, SETTINGS_FILE)
    mkdirSync(file)
    const error = loadError(dataDir)
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/could not be read/)
  })

  it('reads a file saved with a byte-order mark (Windows Notepad), as the same settings', () => {
    const { dataDir } = dataDirWith(`\uFEFF${JSON.stringify({ model: 'gemini-from-notepad', token: TOKEN })}`)
    expect(loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir })).toMatchObject({ model: 'gemini-from-notepad', token: TOKEN })
  })
})

describe('saving Settings over a file that went bad while the console ran', () => {
  const cases: [string, string][] = [
    ['hand-edited into invalid JSON', '{ "model": '],
    ['replaced by a newer version', JSON.stringify({ version: SETTINGS_VERSION + 1, token: TOKEN })],
  ]
  it.each(cases)('%s: the save is refused with the file named, and the file is kept', async (_name, content) => {
    const { dataDir, file } = dataDirWith(JSON.stringify({ token: TOKEN }))
    const service = new SettingsService(loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir }), new FileApiKeyVault(dataDir))
    writeFileSync(file, content)
    const saving = service.update({ model: 'gemini-other' })
    await expect(saving).rejects.toBeInstanceOf(ApiError)
    await expect(saving).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining(file) })
    expect(readFileSync(file, 'utf8')).toBe(content)
    // The running console did not take the change it could not save.
    expect(service.current.model).not.toBe('gemini-other')
  })
})

describe('npm run serve with a corrupt settings.json', () => {
  it('exits with one line naming the file, and leaves the file as it was', async () => {
    const content = '{ "port": 7439, "token": '
    const { dataDir, file } = dataDirWith(content)
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/core/cli/serve.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SUPPORT_CONSOLE_DATA_DIR: dataDir, SUPPORT_CONSOLE_PORT: '0', GEMINI_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stdout).toBe('')
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Support Console cannot start: /)
    expect(lines[0]).toContain(file)
    expect(lines[0]).toMatch(/not valid JSON.*left untouched/)
    expect(readFileSync(file, 'utf8')).toBe(content)
  })
})
