import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataDirLockedError, lockDataDir, LOCK_FILE } from '../src/main/core/config/data-dir-lock'
import { DEFAULT_MODEL, DEFAULT_PORT, loadSettings, SettingsError } from '../src/main/core/config/settings'

const dir = (): string => mkdtempSync(join(tmpdir(), 'sc-settings-'))

describe('settings', () => {
  it('uses documented defaults and generates, saves and reuses a token', () => {
    const dataDir = dir()
    const first = loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir })
    expect(first).toMatchObject({
      model: DEFAULT_MODEL,
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      apiKey: undefined,
      tokenGenerated: true,
      exposed: false,
    })
    expect(first.token.length).toBeGreaterThanOrEqual(32)
    const file = join(dataDir, 'settings.json')
    expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe(first.token)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0)
    const second = loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir })
    expect(second.token).toBe(first.token)
    expect(second.tokenGenerated).toBe(false)
  })

  it('lets environment variables override the settings file', () => {
    const dataDir = dir()
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ model: 'gemini-from-file', port: 9000, token: 'file-token-0123456789' }))
    const s = loadSettings({
      SUPPORT_CONSOLE_DATA_DIR: dataDir,
      GEMINI_API_KEY: 'k',
      GEMINI_MODEL: 'gemini-from-env',
      GEMINI_BASE_URL: 'http://127.0.0.1:1234/',
      SUPPORT_CONSOLE_PORT: '0',
      SUPPORT_CONSOLE_TOKEN: 'env-token-0123456789',
    })
    expect(s).toMatchObject({ apiKey: 'k', model: 'gemini-from-env', baseUrl: 'http://127.0.0.1:1234', port: 0, token: 'env-token-0123456789' })
  })

  it('reports a broken settings file without overwriting it', () => {
    const dataDir = dir()
    const file = join(dataDir, 'settings.json')
    for (const content of ['{ not json', JSON.stringify({ port: 'eighty' }), JSON.stringify({ tokn: 'typo' })]) {
      writeFileSync(file, content)
      expect(() => loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir })).toThrow(SettingsError)
      expect(readFileSync(file, 'utf8')).toBe(content)
    }
  })

  it('runs Gemini on all cores but one by default (1 to 4 threads), and takes geminiThreads from the file, 0 to 16', () => {
    const dataDir = dir()
    const threads = loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir }).geminiThreads
    expect(threads).toBe(Math.min(4, Math.max(1, availableParallelism() - 1)))
    const file = join(dataDir, 'settings.json')
    for (const value of [0, 3, 16]) {
      writeFileSync(file, JSON.stringify({ geminiThreads: value }))
      expect(loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir }).geminiThreads).toBe(value)
    }
    for (const value of [-1, 17, 1.5, '2']) {
      writeFileSync(file, JSON.stringify({ geminiThreads: value }))
      expect(() => loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir })).toThrow(/geminiThreads/)
    }
  })

  it('rejects bad environment values with the variable named', () => {
    const env = { SUPPORT_CONSOLE_DATA_DIR: dir() }
    expect(() => loadSettings({ ...env, SUPPORT_CONSOLE_PORT: '70000' })).toThrow(/SUPPORT_CONSOLE_PORT/)
    expect(() => loadSettings({ ...env, GEMINI_BASE_URL: 'ftp://x' })).toThrow(/GEMINI_BASE_URL/)
    expect(() => loadSettings({ ...env, SUPPORT_CONSOLE_TOKEN: 'short' })).toThrow(/SUPPORT_CONSOLE_TOKEN/)
  })

  it('flags a non-loopback bind address', () => {
    const dataDir = dir()
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ host: '0.0.0.0' }))
    expect(loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir }).exposed).toBe(true)
  })
})

describe('data folder lock', () => {
  it('refuses a second core on the same data folder, and frees it on close', () => {
    const dataDir = dir()
    const first = lockDataDir(dataDir)
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError)
    first.release()
    lockDataDir(dataDir).release()
  })

  it('takes over a lock left by a process that has gone', () => {
    const dataDir = dir()
    // PIDs are below 2^22 on Linux; this one cannot be running.
    writeFileSync(join(dataDir, LOCK_FILE), '99999999')
    expect(() => lockDataDir(dataDir).release()).not.toThrow()
  })
})
