import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkFile, checkTree } from '../scripts/check-layers'

describe('layer rule', () => {
  it('holds for the whole source tree', () => {
    expect(checkTree(process.cwd())).toEqual([])
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
    const run = (root?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-layers.ts', ...(root ? [root] : [])], { encoding: 'utf8' })
    expect(run().status).toBe(0)
    const broken = mkdtempSync(join(tmpdir(), 'sc-layers-'))
    mkdirSync(join(broken, 'src/main/core'), { recursive: true })
    writeFileSync(join(broken, 'src/main/core/bad.ts'), "import { app } from 'electron'\n")
    const result = run(broken)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain("src/main/core/bad.ts: import 'electron'")
  })
})
