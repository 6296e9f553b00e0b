// Packaging sees the signing credentials, so it must run exactly the locked electron-builder: never a floating
// `npx electron-builder@<major>`, which would fetch whatever the registry serves that day, outside any lockfile.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PACKAGER_DIR, packagingSteps } from '../scripts/dist'

const ROOT = resolve(import.meta.dirname, '..')
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>

interface LockEntry {
  version?: string
  integrity?: string
  dependencies?: Record<string, string>
  link?: boolean
}

describe('packaging runs the locked electron-builder', () => {
  it('installs build/packager from its lockfile, then runs that electron-builder on the repository', () => {
    const steps = packagingSteps(['--linux'])
    expect(PACKAGER_DIR).toBe(join(ROOT, 'build', 'packager'))
    expect(steps.map((step) => step.command)).not.toContain('npx')
    const [install, build] = steps
    expect(install).toMatchObject({ command: 'npm', args: ['ci', '--prefix', PACKAGER_DIR, '--ignore-scripts', '--no-audit', '--no-fund'] })
    expect(build).toMatchObject({
      command: process.execPath,
      args: [join(PACKAGER_DIR, 'node_modules', 'electron-builder', 'cli.js'), '--projectDir', ROOT, '--linux'],
    })
  })

  it('scripts/dist.ts never calls npx or names a floating electron-builder', () => {
    const source = readFileSync(join(ROOT, 'scripts', 'dist.ts'), 'utf8')
    expect(source).not.toMatch(/['"`]npx['"`]/)
    expect(source).not.toMatch(/electron-builder@/)
  })

  it('pins one exact electron-builder version, with the integrity of every package in the lockfile', () => {
    const manifest = readJson('build/packager/package.json') as { dependencies: Record<string, string> }
    const pinned = manifest.dependencies['electron-builder']
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/)

    const lock = readJson('build/packager/package-lock.json') as { lockfileVersion: number; packages: Record<string, LockEntry> }
    expect(lock.lockfileVersion).toBe(3)
    expect(lock.packages['']?.dependencies).toEqual(manifest.dependencies)
    expect(lock.packages['node_modules/electron-builder']?.version).toBe(pinned)
    const installed = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.link)
    expect(installed.length).toBeGreaterThan(50)
    for (const [path, entry] of installed) expect(entry.integrity, path).toMatch(/^sha512-/)
  })

  it('keeps electron-builder out of the app install, and its folder out of git', () => {
    const app = readJson('package.json') as { dependencies?: object; devDependencies?: object; allowScripts?: unknown }
    expect(Object.keys({ ...app.dependencies, ...app.devDependencies })).not.toContain('electron-builder')
    // npm does not read an `allowScripts` field; it only looked like a control.
    expect(app.allowScripts).toBeUndefined()
    const ignored = spawnSync('git', ['check-ignore', '-q', 'build/packager/node_modules/electron-builder/cli.js'], { cwd: ROOT })
    expect(ignored.status).toBe(0)
  })
})
