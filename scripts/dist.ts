// `npm run dist:linux|mac|win`: packages the built app with electron-builder (configuration in
// electron-builder.yml), then puts back the Node build of better-sqlite3. electron-builder rebuilds native
// modules for Electron where they are, in node_modules, which would leave the tests and `npm run serve`
// with an addon Node cannot load; `npm rebuild` restores it whether packaging succeeded or not.
import { spawnSync } from 'node:child_process'
import { PROJECT_ROOT } from './electron-native'

const ELECTRON_BUILDER = 'electron-builder@26'
// npm and npx are batch files on Windows, which Node runs only through a shell.
const shell = process.platform === 'win32'

const run = (command: string, args: string[]): number => spawnSync(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit', shell }).status ?? 1

const packaged = run('npx', ['--yes', ELECTRON_BUILDER, ...process.argv.slice(2)])
console.log('Restoring the Node build of better-sqlite3 (electron-builder rebuilt it for Electron)…')
const restored = run('npm', ['rebuild', 'better-sqlite3'])
if (restored !== 0) console.error('`npm rebuild better-sqlite3` failed: run it by hand before `npm test`.')
process.exit(packaged !== 0 ? packaged : restored)
