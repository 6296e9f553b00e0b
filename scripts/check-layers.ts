// The layer rule from DESIGN.md, made checkable: imports only go downward
// (renderer → shared; preload → shared; main → core → shared), core never imports electron,
// shared imports neither Node nor Electron, and only one module touches the Gemini SDK.
// Exits non-zero and names every offending import when the rule is broken.
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Layer = 'shared' | 'core' | 'main' | 'preload' | 'renderer'

export interface Violation {
  file: string
  specifier: string
  reason: string
}

export const SDK_PACKAGE = '@google/generative-ai'
export const SDK_MODULE = 'src/main/core/gemini/sdk-stream.ts'

const allowedLayers: Record<Layer, Layer[]> = {
  shared: ['shared'],
  core: ['core', 'shared'],
  main: ['main', 'core', 'shared'],
  preload: ['preload', 'shared'],
  renderer: ['renderer', 'shared'],
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
const isNodeBuiltin = (pkg: string): boolean => nodeBuiltins.has(pkg) || pkg.startsWith('node:')

// Packages a layer must not import, beyond the layer rule itself.
const forbiddenPackage: Record<Layer, (pkg: string) => string | undefined> = {
  shared: (pkg) => (pkg === 'zod' ? undefined : 'src/shared may import only zod: no Node, DOM, Electron or React'),
  core: (pkg) => (pkg === 'electron' ? 'core runs under plain Node and never imports electron' : undefined),
  main: () => undefined,
  preload: (pkg) => (isNodeBuiltin(pkg) ? 'the sandboxed preload has no Node modules' : undefined),
  renderer: (pkg) =>
    isNodeBuiltin(pkg) || ['electron', 'better-sqlite3', SDK_PACKAGE].includes(pkg)
      ? 'the renderer sees only the renderer-facing API'
      : undefined,
}

export function layerOf(file: string): Layer | undefined {
  const p = file.split(sep).join('/')
  if (p.startsWith('src/shared/')) return 'shared'
  if (p.startsWith('src/main/core/')) return 'core'
  if (p.startsWith('src/main/')) return 'main'
  if (p.startsWith('src/preload/')) return 'preload'
  if (p.startsWith('src/renderer/')) return 'renderer'
  return undefined
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g

export function importsOf(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')
  return [...withoutComments.matchAll(importPattern)].map((m) => (m[1] ?? m[2]) as string)
}

const packageName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string)

/** `file` is relative to the project root, with forward slashes. */
export function checkFile(file: string, source: string): Violation[] {
  const from = layerOf(file)
  if (!from) return []
  const violations: Violation[] = []
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith('.')) {
      const target = relative('.', join(dirname(file), specifier)).split(sep).join('/')
      const to = layerOf(target)
      if (!to) violations.push({ file, specifier, reason: 'imports from outside src/' })
      else if (!allowedLayers[from].includes(to)) violations.push({ file, specifier, reason: `${from} may not import ${to}` })
      continue
    }
    const pkg = packageName(specifier)
    const reason = forbiddenPackage[from](pkg)
    if (reason) violations.push({ file, specifier, reason })
    else if (pkg === SDK_PACKAGE && file !== SDK_MODULE) {
      violations.push({ file, specifier, reason: `only ${SDK_MODULE} imports the Gemini SDK` })
    }
  }
  return violations
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [path] : []
  })
}

export function checkTree(root: string): Violation[] {
  return sourceFiles(join(root, 'src')).flatMap((path) =>
    checkFile(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')),
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // An explicit root lets the tests check that a broken tree fails the command.
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'))
  const violations = checkTree(root)
  for (const v of violations) console.error(`${v.file}: import '${v.specifier}': ${v.reason}`)
  if (violations.length > 0) {
    console.error(`check-layers: ${violations.length} import(s) break the layer rule (see DESIGN.md)`)
    process.exit(1)
  }
  console.log('check-layers: every import follows the layer rule')
}
