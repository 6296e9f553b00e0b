// Where the database and settings live by default: the same per-user folder Electron's
// app.getPath('userData') gives for our productName, so the desktop app and `npm run serve` share data.
import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'Support Console'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), PRODUCT_NAME)
}
