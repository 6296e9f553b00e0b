// The import rule of ARCHITECTURE.md ("Layers" and "How the import rule is checked"), made checkable:
// - runtime layers: imports only go downward (renderer → shared; preload → shared; main → core → shared), core
//   never imports electron, shared imports neither Node nor Electron, and only one module touches the Gemini SDK;
// - inside src/main/core, folders are ordered (CORE_LEVELS): a module imports only its own folder or lower ones;
// - no import cycles between modules anywhere in src/, type-only imports included (a type cycle still ties two
//   modules together: neither can be understood, moved or tested without the other).
// Exits non-zero and names every offending import, and every cycle as a chain of files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, posix, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Layer = 'shared' | 'core' | 'main' | 'preload' | 'renderer'

export interface Violation {
  file: string
  /** The offending import; undefined when the file itself is misplaced. */
  specifier?: string
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

const CORE = 'src/main/core/'

/**
 * The order inside src/main/core, lowest first: a folder (or a file at the core's root) on each level. A module
 * may import its own folder and anything on a lower level. The lowest level's folders are independent of each
 * other: the Gemini client, the store, the stream hub and the settings know nothing of one another, and drafting
 * is where they meet. support-console.ts wires everything together; cli/ starts it.
 */
export const CORE_LEVELS: ReadonlyArray<readonly string[]> = [
  ['gemini', 'store', 'streaming', 'config', 'knowledge'],
  ['drafting'],
  ['api'],
  ['server'],
  ['support-console.ts'],
  ['cli'],
]

const levelOf = (unit: string): number => CORE_LEVELS.findIndex((level) => level.includes(unit))

const coreOrder = CORE_LEVELS.map((level) => level.join(', ')).join(' → ')

/** The folder (or root file) of a path under src/main/core, e.g. 'store' or 'support-console.ts'. */
export function coreUnitOf(file: string): string | undefined {
  const p = toPosix(file)
  if (!p.startsWith(CORE)) return undefined
  const rest = p.slice(CORE.length)
  const slash = rest.indexOf('/')
  if (slash >= 0) return rest.slice(0, slash)
  // An import of a folder ('../store', its index) is that folder; an extensionless or '.js' specifier
  // ('../support-console') names the same module as its .ts file.
  if (levelOf(rest) >= 0) return rest
  return /\.[cm]?[jt]sx?$/.test(rest) ? rest.replace(/\.[cm]?[jt]sx?$/, '.ts') : `${rest}.ts`
}

/** Why an import from one core unit to another breaks the core order, or undefined when it does not. */
function coreOrderViolation(fromUnit: string, toUnit: string): string | undefined {
  if (fromUnit === toUnit) return undefined
  const from = levelOf(fromUnit)
  const to = levelOf(toUnit)
  if (to < 0) return `core order: ${toUnit} has no level in the core order (${coreOrder})`
  if (from < 0) return undefined // reported once for the file itself
  if (to > from) return `core order: ${fromUnit} may not import ${toUnit}, which is above it (${coreOrder})`
  if (to === from) return `core order: ${fromUnit} may not import ${toUnit}; folders on the same level are independent (${coreOrder})`
  return undefined
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
    isNodeBuiltin(pkg) || ['electron', 'better-sqlite3', SDK_PACKAGE].includes(pkg) ? 'the renderer sees only the renderer-facing API' : undefined,
}

const toPosix = (path: string): string => path.split(sep).join('/')

export function layerOf(file: string): Layer | undefined {
  const p = toPosix(file)
  if (p.startsWith('src/shared/')) return 'shared'
  if (p.startsWith(CORE)) return 'core'
  if (p.startsWith('src/main/')) return 'main'
  if (p.startsWith('src/preload/')) return 'preload'
  if (p.startsWith('src/renderer/')) return 'renderer'
  return undefined
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g

/** Every module specifier the source imports or re-exports, type-only and dynamic imports included. */
export function importsOf(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')
  return [...withoutComments.matchAll(importPattern)].map((m) => (m[1] ?? m[2]) as string)
}

const packageName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string)

/** Where a relative specifier points, relative to the project root, without resolving it to a file. */
const targetOf = (file: string, specifier: string): string => posix.normalize(posix.join(posix.dirname(file), specifier.replace(/\?.*$/, '')))

/** `file` is relative to the project root, with forward slashes. */
export function checkFile(file: string, source: string): Violation[] {
  const from = layerOf(file)
  if (!from) return []
  const violations: Violation[] = []
  const fromUnit = from === 'core' ? coreUnitOf(file) : undefined
  if (fromUnit !== undefined && levelOf(fromUnit) < 0) {
    violations.push({
      file,
      reason: `core order: ${fromUnit} has no level in the core order (${coreOrder}); add it to CORE_LEVELS and ARCHITECTURE.md`,
    })
  }
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith('.')) {
      const target = targetOf(file, specifier)
      const to = layerOf(target)
      if (!to) violations.push({ file, specifier, reason: 'imports from outside src/' })
      else if (!allowedLayers[from].includes(to)) violations.push({ file, specifier, reason: `${from} may not import ${to}` })
      else if (fromUnit !== undefined && to === 'core') {
        const reason = coreOrderViolation(fromUnit, coreUnitOf(target) as string)
        if (reason) violations.push({ file, specifier, reason })
      }
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

/** Every source file under src/, relative to root with forward slashes, with its text. */
function readSources(root: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const path of sourceFiles(join(root, 'src'))) files.set(toPosix(relative(root, path)), readFileSync(path, 'utf8'))
  return files
}

export function checkTree(root: string): Violation[] {
  return [...readSources(root)].flatMap(([file, source]) => checkFile(file, source))
}

// How the bundler and TypeScript find a module from an extensionless or '.js' specifier.
const resolutionSuffixes = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js']

function resolveModule(target: string, known: ReadonlySet<string>): string | undefined {
  const bases = /\.[cm]?js$/.test(target) ? [target, target.replace(/\.([cm]?)js$/, '.$1ts'), target.replace(/\.js$/, '.tsx')] : [target]
  for (const base of bases) {
    for (const suffix of resolutionSuffixes) if (known.has(base + suffix)) return base + suffix
  }
  return undefined
}

/** Which files each file imports (relative imports that resolve to a source file; packages and CSS are left out). */
export function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const known = new Set(files.keys())
  const graph = new Map<string, string[]>()
  for (const [file, source] of files) {
    const targets = importsOf(source)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolveModule(targetOf(file, specifier), known))
      .filter((target): target is string => target !== undefined)
    graph.set(file, [...new Set(targets)].sort())
  }
  return graph
}

/**
 * The import cycles of a graph, each as a chain of files back to its start, e.g. [a, b, a]. Files that all
 * reach each other (a strongly connected component) are reported as the shortest cycle through each of them
 * that no earlier chain already named, so every tangled file shows up without listing every possible path.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = []
  for (const component of stronglyConnected(graph)) {
    const members = [...component].sort()
    const first = members[0] as string
    if (component.size === 1 && !(graph.get(first)?.includes(first) ?? false)) continue
    const named = new Set<string>()
    for (const start of members) {
      if (named.has(start)) continue
      const cycle = shortestCycle(graph, start, component)
      for (const file of cycle) named.add(file)
      cycles.push(cycle)
    }
  }
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string))
}

// Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack.
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): Array<Set<string>> {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: Array<Set<string>> = []
  let counter = 0
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number }
      const edges = graph.get(frame.node) ?? []
      if (frame.next < edges.length) {
        const to = edges[frame.next++] as string
        if (!index.has(to)) {
          index.set(to, counter)
          low.set(to, counter++)
          stack.push(to)
          onStack.add(to)
          work.push({ node: to, next: 0 })
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(to) as number))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number))
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = new Set<string>()
        for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
          onStack.delete(member)
          component.add(member)
          if (member === frame.node) break
        }
        components.push(component)
      }
    }
  }
  return components
}

function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, start: string, within: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>()
  const queue = [start]
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string
    for (const to of graph.get(node) ?? []) {
      if (!within.has(to)) continue
      if (to === start) {
        const chain = [start]
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) chain.splice(1, 0, at)
        return [...chain, start]
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, node)
        queue.push(to)
      }
    }
  }
  return [start, start] // unreachable for a real component; keeps the type total
}

export function cyclesInTree(root: string): string[][] {
  return findCycles(importGraph(readSources(root)))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // An explicit root lets the tests check that a broken tree fails the command.
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'))
  if (!existsSync(join(root, 'src')) || !statSync(join(root, 'src')).isDirectory()) {
    console.error(`check-layers: ${root} has no src/ folder`)
    process.exit(2)
  }
  const violations = checkTree(root)
  for (const v of violations) console.error(v.specifier === undefined ? `${v.file}: ${v.reason}` : `${v.file}: import '${v.specifier}': ${v.reason}`)
  const cycles = cyclesInTree(root)
  for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' → ')}`)
  if (violations.length > 0 || cycles.length > 0) {
    console.error(
      `check-layers: ${violations.length} import(s) break the layer rule, ${cycles.length} import cycle(s) ` +
        '(see ARCHITECTURE.md, "How the import rule is checked")',
    )
    process.exit(1)
  }
  console.log('check-layers: every import follows the layer rule and the core order; no import cycles')
}
