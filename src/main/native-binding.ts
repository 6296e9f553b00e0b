// Which better-sqlite3 addon the desktop app loads. A packaged app carries an addon electron-builder
// rebuilt for Electron in place, so the default lookup is right. A development checkout has the Node
// build in place (for the tests) and the Electron build beside it (native-binding-location.ts).
import { existsSync } from 'node:fs'
import { betterSqlitePackageDir, electronBindingPath, packageVersion } from './native-binding-location'

export class NativeBindingMissingError extends Error {
  override name = 'NativeBindingMissingError'
}

export interface AppLocation {
  isPackaged: boolean
  getAppPath(): string
}

export interface Runtime {
  electronVersion: string
  platform: NodeJS.Platform
  arch: string
}

/** The addon to pass as `nativeBinding`, or undefined for better-sqlite3's own lookup (packaged app). */
export function electronNativeBinding(app: AppLocation, runtime: Runtime): string | undefined {
  if (app.isPackaged) return undefined
  const root = app.getAppPath()
  const path = electronBindingPath(root, { ...runtime, sqliteVersion: packageVersion(betterSqlitePackageDir(root)) })
  if (!existsSync(path)) {
    throw new NativeBindingMissingError(
      `better-sqlite3 has not been built for Electron ${runtime.electronVersion} yet (${path} is missing). ` +
        'Run "npm run native:electron" (it downloads Electron\'s headers or a prebuilt addon once), then start again.',
    )
  }
  return path
}
