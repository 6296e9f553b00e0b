// Rules that keep the renderer easy to find one's way in, checked on its source: small components with few
// props, no mutable state at module level (it would outlive a conversation and be shared by every window
// of a test), and hooks/ holding only hooks. Parsed with the TypeScript compiler, not matched with patterns,
// so formatting cannot hide a breach.
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..', 'src', 'renderer', 'src')
const MAX_COMPONENT_FILE_LINES = 150
const MAX_PROPS = 8

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
}

const sources = filesUnder(ROOT)
  .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
  .map((file) => {
    const text = readFileSync(file, 'utf8')
    return {
      file,
      name: relative(ROOT, file),
      text,
      ast: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS),
    }
  })

type Source = (typeof sources)[number]
const isComponentName = (name: string | undefined): name is string => !!name && /^[A-Z]/.test(name)

/** Members of a props type: a literal, or an interface declared in the renderer (with what it extends). */
function propCount(type: ts.TypeNode | undefined, source: Source): number | null {
  if (!type) return 0
  if (ts.isTypeLiteralNode(type)) return type.members.length
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return null
  const name = type.typeName.text
  const declaration = source.ast.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name)
  if (!declaration) return propsOfImported(name)
  let count = declaration.members.length
  for (const clause of declaration.heritageClauses ?? []) {
    for (const base of clause.types) {
      if (!ts.isIdentifier(base.expression)) continue
      const inherited = propCount(ts.factory.createTypeReferenceNode(base.expression.text), source)
      count += inherited ?? 0
    }
  }
  return count
}

/** Members of an interface imported from another file of the renderer; null when it is not one (Pick<…>, a library's type). */
function propsOfImported(name: string): number | null {
  for (const source of sources) {
    const found = source.ast.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name)
    if (found) return propCount(ts.factory.createTypeReferenceNode(name), source)
  }
  return null
}

/** Every component of a file (a function named in PascalCase, also inside memo/forwardRef) and its props count. */
function components(source: Source): { name: string; props: number | null }[] {
  const found: { name: string; props: number | null }[] = []
  const visit = (node: ts.Node): void => {
    let name: string | undefined
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) name = node.name?.text
    if (ts.isArrowFunction(node) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) name = node.parent.name.text
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) && isComponentName(name)) {
      found.push({ name, props: propCount(node.parameters[0]?.type, source) })
    }
    ts.forEachChild(node, visit)
  }
  visit(source.ast)
  return found
}

describe('renderer structure', () => {
  it(`keeps every component file under ${MAX_COMPONENT_FILE_LINES} lines`, () => {
    const long = sources.filter((s) => s.file.endsWith('.tsx')).map((s) => ({ file: s.name, lines: s.text.trimEnd().split('\n').length }))
    const longest = long.reduce((a, b) => (b.lines > a.lines ? b : a))
    console.log(`longest component file: ${longest.file}, ${longest.lines} lines`)
    expect(long.filter((s) => s.lines > MAX_COMPONENT_FILE_LINES)).toEqual([])
  })

  it(`gives no component more than ${MAX_PROPS} props`, () => {
    const all = sources.filter((s) => s.file.endsWith('.tsx')).flatMap((s) => components(s).map((c) => ({ file: s.name, ...c })))
    // The scan must see the components (and their props) it is meant to limit.
    expect(all.find((c) => c.name === 'ConversationRow')?.props).toBeGreaterThan(3)
    expect(all.find((c) => c.name === 'ApiKeyField')?.props).toBeGreaterThan(5)
    expect(all.find((c) => c.name === 'ConversationList')?.props).toBeGreaterThan(5)
    const most = Math.max(...all.map((c) => c.props ?? 0))
    console.log(
      `most props: ${most} (${all
        .filter((c) => c.props === most)
        .map((c) => c.name)
        .join(', ')})`,
    )
    expect(all.filter((c) => c.props !== null && c.props > MAX_PROPS)).toEqual([])
  })

  it('keeps no mutable state at module level', () => {
    const offending: string[] = []
    for (const source of sources) {
      for (const statement of source.ast.statements) {
        if (!ts.isVariableStatement(statement)) continue
        const { flags } = statement.declarationList
        const line = source.ast.getLineAndCharacterOfPosition(statement.getStart()).line + 1
        if (!(flags & ts.NodeFlags.Const)) offending.push(`${source.name}:${line} (let or var)`)
        for (const d of statement.declarationList.declarations) {
          const init = d.initializer
          // An empty collection made at load is there to be filled at run time; one made from a list of
          // values (`new Set(['http:', 'https:'])`) is a constant lookup table.
          const empty = init && ts.isNewExpression(init) && (init.arguments ?? []).length === 0
          if (init && ts.isNewExpression(init) && empty && /^(Map|Set|WeakMap|WeakSet|Array)$/.test(init.expression.getText(source.ast))) {
            offending.push(`${source.name}:${line} (a ${init.expression.getText(source.ast)})`)
          }
        }
      }
    }
    expect(offending).toEqual([])
  })

  it('keeps only hooks in hooks/: files named useX that export useX', () => {
    const notHooks = sources
      .filter((s) => relative(ROOT, s.file).startsWith('hooks'))
      .filter((s) => {
        const name = basename(s.file).replace(/\.tsx?$/, '')
        return !/^use[A-Z]/.test(name) || !new RegExp(`export function ${name}\\b`).test(s.text)
      })
      .map((s) => s.name)
    expect(notHooks).toEqual([])
  })
})
