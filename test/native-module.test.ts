// better-sqlite3 for two runtimes: the Node build stays where npm put it (the tests run on it), and the
// Electron build lives in a folder named for every version it depends on. These tests use throw-away
// project folders; no network is needed (building for real needs Electron's headers or a prebuilt addon).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { BINDING_FILE, electronBindingDir, electronBindingPath } from '../src/main/native-binding-location'
import { electronNativeBinding, NativeBindingMissingError } from '../src/main/native-binding'
import { findElectronBinary } from '../scripts/electron-binary'
import { ensureElectronNative } from '../scripts/electron-native'

/** A project folder with just enough of node_modules for the lookups. */
function fakeProject(options: { electron?: 'package-only' | 'path-only' | 'installed' } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'sc-native-'))
  writeFileSync(join(root, 'package.json'), '{"name":"fake","type":"module"}')
  const sqlite = join(root, 'node_modules', 'better-sqlite3')
  mkdirSync(sqlite, { recursive: true })
  writeFileSync(join(sqlite, 'package.json'), '{"name":"better-sqlite3","version":"12.11.1","main":"index.js"}')
  writeFileSync(join(sqlite, 'index.js'), '')
  if (options.electron) {
    const electron = join(root, 'node_modules', 'electron')
    mkdirSync(electron, { recursive: true })
    writeFileSync(join(electron, 'package.json'), '{"name":"electron","version":"45.4.1","main":"index.js"}')
    writeFileSync(join(electron, 'index.js'), 'throw new Error("must never be required: it downloads")')
    if (options.electron !== 'package-only') writeFileSync(join(electron, 'path.txt'), 'electron')
    if (options.electron === 'installed') {
      mkdirSync(join(electron, 'dist'))
      writeFileSync(join(electron, 'dist', 'electron'), '')
    }
  }
  return root
}

const runtime = { electronVersion: '45.4.1', platform: 'linux' as const, arch: 'x64' }

describe('where the Electron build lives', () => {
  it('names the folder after better-sqlite3, Electron, platform and architecture', () => {
    const dir = electronBindingDir('/p', { ...runtime, sqliteVersion: '12.11.1' })
    expect(dir).toBe('/p/node_modules/.cache/support-console/better-sqlite3-12.11.1-electron-45.4.1-linux-x64')
    expect(electronBindingPath('/p', { ...runtime, sqliteVersion: '12.11.1' })).toBe(join(dir, BINDING_FILE))
  })

  it('is what the main process loads in a checkout, and nothing in a packaged app', () => {
    const root = fakeProject()
    const app = { isPackaged: false, getAppPath: () => root }
    const expected = electronBindingPath(root, { ...runtime, sqliteVersion: '12.11.1' })
    expect(() => electronNativeBinding(app, runtime)).toThrow(NativeBindingMissingError)
    expect(() => electronNativeBinding(app, runtime)).toThrow(/npm run native:electron/)
    mkdirSync(join(expected, '..'), { recursive: true })
    writeFileSync(expected, '')
    expect(electronNativeBinding(app, runtime)).toBe(expected)
    // electron-builder rebuilt better-sqlite3 for Electron inside the package: its own lookup is right there.
    expect(electronNativeBinding({ isPackaged: true, getAppPath: () => root }, runtime)).toBeUndefined()
  })

  it('leaves the Node build in place, loadable by the tests', () => {
    const db = new Database(':memory:')
    expect(db.prepare('select sqlite_version() as v').get()).toHaveProperty('v')
    db.close()
  })
})

describe('is Electron installed?', () => {
  it('answers from the files, without requiring the electron package (which would download)', () => {
    expect(findElectronBinary(fakeProject())).toMatchObject({ installed: false, reason: expect.stringMatching(/electron package is not installed/) })
    expect(findElectronBinary(fakeProject({ electron: 'package-only' }))).toMatchObject({
      installed: false,
      version: '45.4.1',
      reason: expect.stringMatching(/path\.txt is missing/),
    })
    expect(findElectronBinary(fakeProject({ electron: 'path-only' }))).toMatchObject({
      installed: false,
      reason: expect.stringMatching(/dist\/electron is missing/),
    })
    const root = fakeProject({ electron: 'installed' })
    expect(findElectronBinary(root)).toEqual({
      installed: true,
      version: '45.4.1',
      path: join(root, 'node_modules', 'electron', 'dist', 'electron'),
      packageDir: join(root, 'node_modules', 'electron'),
    })
  })
})

describe('building for Electron', () => {
  it('skips, touching nothing, when the Electron binary is missing', async () => {
    const root = fakeProject({ electron: 'package-only' })
    const result = await ensureElectronNative({ root, log: () => {} })
    expect(result).toEqual({ status: 'skipped', message: expect.stringMatching(/^Electron binary not installed: /) })
    expect(existsSync(join(root, 'node_modules', '.cache'))).toBe(false)
  })

  it('does nothing when the build for this Electron is already there', async () => {
    const root = fakeProject({ electron: 'installed' })
    const path = electronBindingPath(root, { electronVersion: '45.4.1', sqliteVersion: '12.11.1', platform: process.platform, arch: process.arch })
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, '')
    const lines: string[] = []
    expect(await ensureElectronNative({ root, log: (line) => lines.push(line) })).toMatchObject({ status: 'ready', path })
    expect(lines).toEqual([])
    expect(readdirSync(join(root, 'node_modules', '.cache', 'support-console'))).toHaveLength(1)
  })
})
