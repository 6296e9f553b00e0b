// npm runs this after every install of the project. It builds better-sqlite3 for Electron as well
// (scripts/electron-native.ts) and must never make the install fail: whatever happens, it says so in one
// line and exits 0. Plain JavaScript, because it runs under plain node: the build script is TypeScript,
// run with tsx, which a production install (--omit=dev) does not have, and neither does it have Electron.
/* global console, process */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
try {
  createRequire(join(root, 'package.json')).resolve('tsx')
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'electron-native.ts'), '--postinstall'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (result.error) console.log(`support-console: better-sqlite3 was not built for Electron (${result.error.message}).`)
} catch {
  console.log('support-console: development dependencies are not installed, so better-sqlite3 was not built for Electron.')
}
process.exit(0)
