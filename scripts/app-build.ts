// Whether the built app in out/ is older than its sources, and the build itself (electron-vite build).
// Shared by `npm start`, the tests' global set-up and the bench.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The newest modification time of a file or of any file under a folder; 0 when it does not exist. */
function newest(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

export type BuildTarget = 'desktop' | 'web'

/** True when an output of `target` is missing or older than any of its sources. */
export function buildIsStale(root: string, target: BuildTarget): boolean {
  const at = (path: string): string => join(root, path)
  const outputs = target === 'desktop' ? ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'] : ['out/renderer/index.html']
  const inputs =
    target === 'desktop'
      ? ['src', 'electron.vite.config.ts', 'package.json']
      : ['src/renderer', 'src/shared', 'electron.vite.config.ts', 'package.json']
  const oldestOutput = Math.min(...outputs.map((o) => (existsSync(at(o)) ? statSync(at(o)).mtimeMs : 0)))
  return oldestOutput === 0 || inputs.some((input) => newest(at(input)) > oldestOutput)
}

/**
 * Runs `electron-vite build` (main, preload and renderer) when `target` is stale; throws if it fails.
 * The build talks on stderr: stdout belongs to whoever called (the bench report, a test's output).
 */
export function buildIfStale(root: string, target: BuildTarget, log: (line: string) => void = console.log): void {
  if (!buildIsStale(root, target)) return
  log(target === 'desktop' ? 'Building the app (electron-vite build)…' : 'Building the web console (electron-vite build)…')
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] })
  if (result.status !== 0) throw new Error('electron-vite build failed (see above); `npm run build` also typechecks, which may say more')
}

/** Why no window can open here (Linux without X11 or Wayland), or undefined when one can. */
export function displayProblem(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux') return undefined
  return env.DISPLAY || env.WAYLAND_DISPLAY ? undefined : 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set'
}
