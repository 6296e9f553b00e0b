// `npm run dist:linux|mac|win`: packages the built app with electron-builder (configuration in
// electron-builder.yml), then puts back the Node build of better-sqlite3. electron-builder rebuilds native
// modules for Electron where they are, in node_modules, which would leave the tests and `npm run serve`
// with an addon Node cannot load; `npm rebuild` restores it whether packaging succeeded or not.
//
// electron-builder runs with the signing credentials in its environment, so it must be exactly the reviewed
// code: one version, every package's integrity in build/packager/package-lock.json, installed with `npm ci`.
// It has its own folder rather than a devDependency so that `npm install` of the app stays lean (it brings
// ~280 packages). The install runs no package scripts: the only one in that tree is electron-winstaller's,
// for the Squirrel.Windows target, which we do not build (Windows gets NSIS).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PROJECT_ROOT } from './electron-native'

export const PACKAGER_DIR = join(PROJECT_ROOT, 'build', 'packager')

export interface Step {
  command: string
  args: string[]
}

/** Install the locked electron-builder, then run it on the repository with the given arguments (`--linux`, ...). */
export function packagingSteps(builderArgs: readonly string[]): Step[] {
  return [
    { command: 'npm', args: ['ci', '--prefix', PACKAGER_DIR, '--ignore-scripts', '--no-audit', '--no-fund'] },
    // Its cli.js through this Node, rather than node_modules/.bin, which is a batch file on Windows.
    {
      command: process.execPath,
      args: [join(PACKAGER_DIR, 'node_modules', 'electron-builder', 'cli.js'), '--projectDir', PROJECT_ROOT, ...builderArgs],
    },
  ]
}

// npm is a batch file on Windows, which Node runs only through a shell.
const run = ({ command, args }: Step): number =>
  spawnSync(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' }).status ?? 1

function main(): void {
  const [install, build] = packagingSteps(process.argv.slice(2)) as [Step, Step]
  if (run(install) !== 0) {
    console.error(`Installing the pinned electron-builder in ${PACKAGER_DIR} failed; nothing was packaged.`)
    process.exit(1)
  }
  const packaged = run(build)
  console.log('Restoring the Node build of better-sqlite3 (electron-builder rebuilt it for Electron)…')
  const restored = run({ command: 'npm', args: ['rebuild', 'better-sqlite3'] })
  if (restored !== 0) console.error('`npm rebuild better-sqlite3` failed: run it by hand before `npm test`.')
  process.exit(packaged !== 0 ? packaged : restored)
}

// Run as a script (`node --import tsx scripts/dist.ts`); imported by the tests, it only describes the steps.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
