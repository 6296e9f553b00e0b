// Where a development checkout keeps better-sqlite3 compiled for Electron. npm builds better-sqlite3 for
// Node (the tests and `npm run serve` use that build, in node_modules/better-sqlite3/build); the desktop app
// needs the same addon built against Electron's ABI. scripts/electron-native.ts builds that second copy
// into this folder and the main process loads it from here (as better-sqlite3's `nativeBinding` option),
// so neither runtime ever overwrites the other's build. The folder name carries every version the build
// depends on, so upgrading Electron or better-sqlite3 simply selects a folder that does not exist yet.
// Plain Node, no Electron import: the build script uses it too.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export const BINDING_FILE = 'better_sqlite3.node'

export interface BindingTarget {
  electronVersion: string
  sqliteVersion: string
  platform: string
  arch: string
}

export function electronBindingDir(projectRoot: string, target: BindingTarget): string {
  return join(
    projectRoot,
    'node_modules',
    '.cache',
    'support-console',
    `better-sqlite3-${target.sqliteVersion}-electron-${target.electronVersion}-${target.platform}-${target.arch}`,
  )
}

export function electronBindingPath(projectRoot: string, target: BindingTarget): string {
  return join(electronBindingDir(projectRoot, target), BINDING_FILE)
}

/** The installed better-sqlite3 package folder, resolved as Node would from the project root. */
export function betterSqlitePackageDir(projectRoot: string): string {
  return dirname(createRequire(join(projectRoot, 'package.json')).resolve('better-sqlite3/package.json'))
}

export function packageVersion(packageDir: string): string {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown }
  if (typeof version !== 'string') throw new Error(`${packageDir}/package.json has no version`)
  return version
}
