// The endpoint token is a secret: `npm run serve` (and `npm start` in web mode) shows it in full only on the
// start that generated it. Later starts still lead to a working web console, through a private file.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { announceWebConsole, builtWebConsole, WEB_CONSOLE_LINK_FILE, webConsoleLink } from '../src/main/core/cli/web-console'

const ROOT = resolve(import.meta.dirname, '..')
const TOKEN = 'tok_0123456789abcdef0123456789abcdef'

const dirs: string[] = []
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-serve-token-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Starts `npm run serve`'s entry point, collects what it prints up to its web console lines, then stops it. */
async function serveOnce(dataDir: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/core/cli/serve.ts'], {
    cwd: ROOT,
    // Only what serve needs: no SUPPORT_CONSOLE_TOKEN or GEMINI_API_KEY from the developer's shell.
    env: { PATH: process.env.PATH, HOME: dataDir, SUPPORT_CONSOLE_DATA_DIR: dataDir, SUPPORT_CONSOLE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((done) => child.on('exit', () => done()))
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve printed no web console line within 20 s:\n${output}`)), 20_000)
    const collect = (chunk: Buffer): void => {
      output += chunk.toString()
      // The web console lines come last; the one after "Web console:" ends the announcement.
      const lines = output.split('\n')
      const at = lines.findIndex((line) => line.startsWith('Web console:'))
      if (at >= 0 && lines.length > at + 2) {
        clearTimeout(timer)
        done()
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('exit', () => {
      clearTimeout(timer)
      fail(new Error(`serve exited early:\n${output}`))
    })
  })
  child.kill('SIGTERM')
  await exited
  return output
}

describe('serve prints the token only the first time', () => {
  it('a second start prints neither the token nor a link containing it, and says where the link is kept', async () => {
    const dataDir = tempDir()
    const first = await serveOnce(dataDir)
    const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { token: string }
    expect(first).toContain(settings.token)

    const second = await serveOnce(dataDir)
    expect(second).not.toContain(settings.token)
    expect(second).not.toContain(encodeURIComponent(settings.token))
    if (builtWebConsole()) {
      const file = join(dataDir, WEB_CONSOLE_LINK_FILE)
      expect(second).toContain(file)
      // The file holds a link that opens the console: the token in the fragment, readable by this user only.
      expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/#token=${encodeURIComponent(settings.token)}\\n$`))
      expect(statSync(file).mode & 0o777).toBe(0o600)
    }
  }, 60_000)
})

describe('announceWebConsole', () => {
  const base = { host: '127.0.0.1', port: 7439, token: TOKEN }

  it('shows the full link the one time the token is generated, and keeps it in a private file', () => {
    const dataDir = tempDir()
    const lines = announceWebConsole({ ...base, dataDir, tokenGenerated: true, tokenFromEnvironment: false }).join('\n')
    const link = webConsoleLink('127.0.0.1', 7439, TOKEN)
    expect(lines).toContain(link)
    expect(readFileSync(join(dataDir, WEB_CONSOLE_LINK_FILE), 'utf8')).toBe(`${link}\n`)
  })

  it('later shows the address and the file, never the token, and refreshes the file (the port may have changed)', () => {
    const dataDir = tempDir()
    announceWebConsole({ ...base, dataDir, tokenGenerated: true, tokenFromEnvironment: false })
    const lines = announceWebConsole({ ...base, port: 7440, dataDir, tokenGenerated: false, tokenFromEnvironment: false }).join('\n')
    expect(lines).not.toContain(TOKEN)
    expect(lines).toContain('http://127.0.0.1:7440/')
    expect(lines).toContain(join(dataDir, WEB_CONSOLE_LINK_FILE))
    expect(readFileSync(join(dataDir, WEB_CONSOLE_LINK_FILE), 'utf8')).toBe(`${webConsoleLink('127.0.0.1', 7440, TOKEN)}\n`)
  })

  it('with SUPPORT_CONSOLE_TOKEN, neither prints it nor writes it to disk', () => {
    const dataDir = tempDir()
    const lines = announceWebConsole({ ...base, dataDir, tokenGenerated: false, tokenFromEnvironment: true }).join('\n')
    expect(lines).not.toContain(TOKEN)
    expect(lines).toContain('SUPPORT_CONSOLE_TOKEN')
    expect(existsSync(join(dataDir, WEB_CONSOLE_LINK_FILE))).toBe(false)
  })
})
