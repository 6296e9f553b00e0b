import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkFile, checkTree, cyclesInTree, findCycles } from '../scripts/check-layers'

const run = (root?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-layers.ts', ...(root ? [root] : [])], { encoding: 'utf8' })

const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

/** A throwaway project root holding these files (path relative to the root → source). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sc-layers-'))
  roots.push(root)
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true })
    writeFileSync(join(root, path), source)
  }
  return root
}

describe('layer rule', () => {
  it('holds for the whole source tree', () => {
    expect(checkTree(process.cwd())).toEqual([])
    expect(cyclesInTree(process.cwd())).toEqual([])
  })

  it.each([
    ['src/main/core/server/x.ts', "import { app } from 'electron'", /never imports electron/],
    ['src/main/core/server/x.ts', "import { x } from '../../window'", /core may not import main/],
    ['src/shared/x.ts', "import { readFileSync } from 'node:fs'", /only zod/],
    ['src/shared/x.ts', "import type { Db } from '../main/core/store/database'", /shared may not import core/],
    ['src/renderer/src/x.tsx', "import { ipcRenderer } from 'electron'", /renderer sees only/],
    ['src/renderer/src/x.tsx', "const s = await import('../../main/core/store/transcript-store')", /renderer may not import core/],
    ['src/preload/index.ts', "const fs = require('fs')", /no Node modules/],
    ['src/main/core/store/x.ts', "export { GoogleGenerativeAI } from '@google/generative-ai'", /only src\/main\/core\/gemini\/sdk-stream.ts/],
  ])('refuses %s importing: %s', (file, source, reason) => {
    const violations = checkFile(file, source)
    expect(violations).toHaveLength(1)
    expect(violations[0]?.reason).toMatch(reason)
  })

  it('allows the downward imports', () => {
    expect(checkFile('src/main/index.ts', "import { app } from 'electron'\nimport { startCore } from './core/support-console'")).toEqual([])
    expect(checkFile('src/preload/index.ts', "import { contextBridge } from 'electron'\nimport type { Api } from '../shared/api'")).toEqual([])
    expect(checkFile('src/main/core/gemini/sdk-stream.ts', "import { GoogleGenerativeAI } from '@google/generative-ai'")).toEqual([])
  })

  it('makes the command fail when broken', () => {
    expect(run().status).toBe(0)
    const result = run(tree({ 'src/main/core/server/bad.ts': "import { app } from 'electron'\n" }))
    expect(result.status).toBe(1)
    expect(result.stderr).toContain("src/main/core/server/bad.ts: import 'electron'")
  })
})

describe('order inside core', () => {
  it.each([
    ['src/main/core/api/x.ts', "import { LocalServer } from '../server/local-server'", /api may not import server, which is above it/],
    ['src/main/core/server/x.ts', "import type { Core } from '../support-console'", /server may not import support-console.ts, which is above it/],
    ['src/main/core/support-console.ts', "import { main } from './cli/serve'", /support-console.ts may not import cli, which is above it/],
    ['src/main/core/gemini/x.ts', "import type { DraftingService } from '../drafting/drafting-service'", /gemini may not import drafting/],
    // The lowest folders are independent of each other, type-only imports included.
    [
      'src/main/core/streaming/x.ts',
      "import type { TranscriptStore } from '../store/transcript-store'",
      /streaming may not import store; folders on the same level/,
    ],
    ['src/main/core/store/x.ts', "import { loadSettings } from '../config'", /store may not import config; folders on the same level/],
    ['src/main/core/reports/x.ts', "import { y } from './y'", /reports has no level in the core order/],
  ])('refuses %s importing: %s', (file, source, reason) => {
    const violations = checkFile(file, source)
    expect(violations).toHaveLength(1)
    expect(violations[0]?.reason).toMatch(/^core order: /)
    expect(violations[0]?.reason).toMatch(reason)
  })

  it('allows a folder, and anything below it', () => {
    expect(checkFile('src/main/core/store/x.ts', "import { openDatabase } from './database'")).toEqual([])
    expect(
      checkFile(
        'src/main/core/drafting/x.ts',
        "import type { ReplyModel } from '../gemini/types'\nimport { Generation } from '../streaming/generation'\nimport type { TranscriptStore } from '../store/transcript-store'",
      ),
    ).toEqual([])
    expect(
      checkFile(
        'src/main/core/server/x.ts',
        "import { ApiService } from '../api/api-service'\nimport { DraftRequestError } from '../drafting/drafting-service'",
      ),
    ).toEqual([])
    expect(
      checkFile('src/main/core/cli/serve.ts', "import { startCore } from '../support-console'\nimport { loadSettings } from '../config/settings'"),
    ).toEqual([])
  })

  it('makes the command name the import and the rule it breaks', () => {
    const result = run(
      tree({
        'src/main/core/streaming/generation.ts': 'export class Generation {}\n',
        'src/main/core/store/transcript-store.ts': "import type { Generation } from '../streaming/generation'\nexport type G = Generation\n",
      }),
    )
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      "src/main/core/store/transcript-store.ts: import '../streaming/generation': core order: store may not import streaming",
    )
  })
})

describe('import cycles', () => {
  it('finds each cycle as a chain of files, and nothing in a graph without one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
    ])
    expect(findCycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ])
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([])
  })

  it('names every file of a tangle: two routes that both import the server that imports them', () => {
    const graph = new Map([
      ['server', ['api', 'chat']],
      ['api', ['server']],
      ['chat', ['server']],
    ])
    expect(findCycles(graph)).toEqual([
      ['api', 'server', 'api'],
      ['chat', 'server', 'chat'],
    ])
  })

  it('reports a cycle made only of type imports, resolving extensionless, .js and index specifiers', () => {
    const root = tree({
      'src/main/core/server/local-server.ts': "import { handleChat } from './chat-routes.js'\nexport interface RouteContext { port: number }\n",
      'src/main/core/server/chat-routes.ts': "import type { RouteContext } from './local-server'\nexport const handleChat = (c: RouteContext) => c\n",
      'src/renderer/src/a/index.ts': "export { b } from '../b'\n",
      'src/renderer/src/b.ts': "import { type A } from './a'\nexport const b = 1 as unknown as A\n",
      'src/renderer/src/c.tsx': "import './styles.css'\nimport { b } from './b'\nexport const c = b\n",
    })
    expect(checkTree(root)).toEqual([])
    expect(cyclesInTree(root)).toEqual([
      ['src/main/core/server/chat-routes.ts', 'src/main/core/server/local-server.ts', 'src/main/core/server/chat-routes.ts'],
      ['src/renderer/src/a/index.ts', 'src/renderer/src/b.ts', 'src/renderer/src/a/index.ts'],
    ])
    const result = run(root)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      'import cycle: src/main/core/server/chat-routes.ts → src/main/core/server/local-server.ts → src/main/core/server/chat-routes.ts',
    )
    expect(result.stderr).toContain('2 import cycle(s)')
  })
})
