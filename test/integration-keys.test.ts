import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  INTEGRATION_KEYS_FILE,
  IntegrationKeyNameTaken,
  IntegrationKeys,
  IntegrationKeysFileError,
  KEY_PREFIX,
  openIntegrationKeys,
} from '../src/main/core/config/integration-keys'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-keys-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('IntegrationKeys', () => {
  it('answers the secret once, and keeps only its digest on disk', () => {
    const keys = new IntegrationKeys(dir)
    const { key, secret } = keys.create({ name: 'Helpdesk', scopes: ['stream', 'read'] })
    expect(secret.startsWith(KEY_PREFIX)).toBe(true)
    expect(secret.length).toBeGreaterThan(40)
    expect(key).toMatchObject({ name: 'Helpdesk', scopes: ['stream', 'read'], lastUsedAt: null })
    expect(JSON.stringify(keys.list())).not.toContain(secret)
    const file = join(dir, INTEGRATION_KEYS_FILE)
    expect(readFileSync(file, 'utf8')).not.toContain(secret)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('authenticates its own secrets only, and records when each was last used', () => {
    let now = new Date('2026-01-01T10:00:00Z')
    const keys = new IntegrationKeys(dir, () => now)
    const { key, secret } = keys.create({ name: 'CRM', scopes: ['export'] })
    expect(keys.authenticate(`${secret}x`)).toBeUndefined()
    expect(keys.authenticate('not-a-key')).toBeUndefined()
    now = new Date('2026-01-01T11:00:00Z')
    expect(keys.authenticate(secret)).toMatchObject({ id: key.id, scopes: ['export'], lastUsedAt: '2026-01-01T11:00:00.000Z' })
    keys.flushLastUsed()
    expect(new IntegrationKeys(dir).list()[0]?.lastUsedAt).toBe('2026-01-01T11:00:00.000Z')
  })

  it('revokes at once and survives a restart', () => {
    const keys = new IntegrationKeys(dir)
    const a = keys.create({ name: 'A', scopes: ['read'] })
    const b = keys.create({ name: 'B', scopes: ['stream'] })
    expect(keys.revoke(a.key.id)).toBe(true)
    expect(keys.revoke(a.key.id)).toBe(false)
    expect(keys.authenticate(a.secret)).toBeUndefined()
    const reopened = new IntegrationKeys(dir)
    expect(reopened.list().map((k) => k.name)).toEqual(['B'])
    expect(reopened.authenticate(b.secret)?.name).toBe('B')
  })

  it('refuses bad names and scopes, and orders scopes canonically without duplicates', () => {
    const keys = new IntegrationKeys(dir)
    expect(() => keys.create({ name: '', scopes: ['read'] })).toThrow(/name/)
    expect(() => keys.create({ name: 'x', scopes: [] })).toThrow(/at least one scope/)
    expect(() => keys.create({ name: 'x', scopes: ['admin' as 'read'] })).toThrow(/scope/)
    expect(() => keys.create({ name: '<script>', scopes: ['read'] })).toThrow(/letters, digits/)
    expect(keys.create({ name: 'x', scopes: ['read', 'stream', 'read'] }).key.scopes).toEqual(['stream', 'read'])
  })

  it('keeps names apart (they are the source of the drafts) and never lets a key pass for the console', () => {
    const keys = new IntegrationKeys(dir)
    keys.create({ name: 'Helpdesk', scopes: ['read'] })
    expect(() => keys.create({ name: 'helpdesk', scopes: ['stream'] })).toThrow(IntegrationKeyNameTaken)
    expect(() => keys.create({ name: 'App', scopes: ['stream'] })).toThrow(/console's own source/)
    expect(keys.list().map((key) => key.name)).toEqual(['Helpdesk'])
  })

  it('hands out no key it could not save', () => {
    const keys = new IntegrationKeys(dir)
    keys.create({ name: 'Saved', scopes: ['read'] })
    // A directory where the file goes: the write fails as a full or read-only disk would.
    const file = join(dir, INTEGRATION_KEYS_FILE)
    rmSync(file)
    mkdirSync(file)
    expect(() => keys.create({ name: 'Unsaved', scopes: ['read'] })).toThrow()
    expect(keys.list().map((key) => key.name)).toEqual(['Saved'])
  })

  it('opens a refused file as a logged refusal instead of failing, leaving the file alone', () => {
    const file = join(dir, INTEGRATION_KEYS_FILE)
    writeFileSync(file, '{"version":1,"keys":[{"id":"x"}]}')
    const logged: string[] = []
    const opened = openIntegrationKeys(dir, (message) => logged.push(message))
    expect(opened).toBeInstanceOf(IntegrationKeysFileError)
    expect(logged).toEqual([expect.stringContaining(file)])
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"keys":[{"id":"x"}]}')
    rmSync(file)
    expect(openIntegrationKeys(dir)).toBeInstanceOf(IntegrationKeys)
  })

  it('refuses an unreadable keys file without touching it', () => {
    const file = join(dir, INTEGRATION_KEYS_FILE)
    for (const content of ['{not json', '{"version":2,"keys":[]}']) {
      writeFileSync(file, content)
      expect(() => new IntegrationKeys(dir)).toThrow(IntegrationKeysFileError)
      expect(readFileSync(file, 'utf8')).toBe(content)
    }
  })
})
