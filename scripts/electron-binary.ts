// Is the Electron binary installed? Answered from the files alone. The electron package (45+) has no
// install script: it downloads its binary the first time `require('electron')` runs, so merely asking it
// for the path could start a download. This reads what that code reads (node_modules/electron/path.txt
// and dist/) and never runs it.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export type ElectronBinary =
  { installed: true; path: string; version: string; packageDir: string } | { installed: false; reason: string; version?: string; packageDir?: string }

export function electronPackageDir(projectRoot: string): string | undefined {
  try {
    return dirname(createRequire(join(projectRoot, 'package.json')).resolve('electron/package.json'))
  } catch {
    return undefined
  }
}

export function findElectronBinary(projectRoot: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const packageDir = electronPackageDir(projectRoot)
  if (!packageDir) return { installed: false, reason: 'the electron package is not installed (run npm install)' }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) {
    return {
      installed: false,
      version,
      packageDir,
      reason: `Electron ${version} has not downloaded its binary (node_modules/electron/path.txt is missing)`,
    }
  }
  const relativePath = readFileSync(pathFile, 'utf8').trim()
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist')
  const path = join(distDir, relativePath)
  if (!existsSync(path)) return { installed: false, version, packageDir, reason: `${path} is missing` }
  return { installed: true, path, version, packageDir }
}
