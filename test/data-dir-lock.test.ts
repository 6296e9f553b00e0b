// The data folder lock across real processes: the kernel's lock (SQLite's) decides, so a crash, SIGKILL or a
// recycled pid can never leave it stuck, and two processes starting together can never both get it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirLockedError, lockDataDir, LOCK_FILE } from '../src/main/core/config/data-dir-lock'

const ROOT = resolve(import.meta.dirname, '..')
const MODULE_URL = pathToFileURL(join(ROOT, 'src/main/core/config/data-dir-lock.ts')).href

// A process that takes and releases the lock on command ("try\t<dir>", "release"), one reply line each.
const WORKER = `
const { lockDataDir } = await import(${JSON.stringify(MODULE_URL)})
const { createInterface } = await import('node:readline')
let held
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, dir] = line.split('\\t')
  if (command === 'try') {
    try {
      held = lockDataDir(dir)
      process.stdout.write('won\\n')
    } catch (error) {
      process.stdout.write('lost\\t' + error.name + '\\t' + String(error.message).replace(/\\n/g, ' ') + '\\n')
    }
  } else if (command === 'release') {
    held?.release()
    held = undefined
    process.stdout.write('released\\n')
  }
})
process.stdout.write('ready\\n')
`

class LockWorker {
  private readonly replies: string[] = []
  private readonly waiting: Array<(line: string) => void> = []
  readonly exited: Promise<NodeJS.Signals | number | null>

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const next = this.waiting.shift()
      if (next) next(line)
      else this.replies.push(line)
    })
    this.exited = new Promise((done) => child.on('exit', (code, signal) => done(signal ?? code)))
  }

  static async start(): Promise<LockWorker> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WORKER], { cwd: ROOT, stdio: 'pipe' })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const worker = new LockWorker(child)
    const ready = await Promise.race([worker.reply(), worker.exited.then(() => `exited: ${stderr}`)])
    if (ready !== 'ready') throw new Error(`lock worker did not start: ${ready}`)
    return worker
  }

  reply(): Promise<string> {
    const line = this.replies.shift()
    return line !== undefined ? Promise.resolve(line) : new Promise((done) => this.waiting.push(done))
  }

  send(command: string, dir = ''): Promise<string> {
    this.child.stdin.write(`${command}\t${dir}\n`)
    return this.reply()
  }
}

const dirs: string[] = []
const workers: LockWorker[] = []
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-lock-'))
  dirs.push(dir)
  return dir
}
const startWorker = async (): Promise<LockWorker> => {
  const worker = await LockWorker.start()
  workers.push(worker)
  return worker
}

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL')
      await worker.exited
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('data folder lock across processes', () => {
  it('refuses a second process at once, naming the folder and the lock file', async () => {
    const dir = dataDir()
    const holder = await startWorker()
    expect(await holder.send('try', dir)).toBe('won')

    const started = performance.now()
    let refused: unknown
    try {
      lockDataDir(dir).release()
    } catch (error) {
      refused = error
    }
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(refused).toBeInstanceOf(DataDirLockedError)
    const message = (refused as Error).message
    expect(message).toContain('Another Support Console')
    expect(message).toContain(dir)
    expect(message).toContain(join(dir, LOCK_FILE))

    expect(await holder.send('release')).toBe('released')
    lockDataDir(dir).release()
  })

  it('is free the moment its holder is killed with SIGKILL', async () => {
    const dir = dataDir()
    const holder = await startWorker()
    expect(await holder.send('try', dir)).toBe('won')
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)

    holder.child.kill('SIGKILL')
    expect(await holder.exited).toBe('SIGKILL')
    const lock = lockDataDir(dir)
    // And it is really held again: another process is refused.
    const other = await startWorker()
    expect(await other.send('try', dir)).toMatch(/^lost\tDataDirLockedError\t/)
    lock.release()
    expect(await other.send('try', dir)).toBe('won')
  })

  it('lets exactly one of several processes starting together win, every time, also over an old pid file', async () => {
    const racers = await Promise.all([startWorker(), startWorker(), startWorker(), startWorker()])
    for (let round = 0; round < 50; round++) {
      const dir = dataDir()
      // Every other round starts from what an earlier version left, which each racer may empty at once.
      if (round % 2 === 1) writeFileSync(join(dir, LOCK_FILE), String(4_000_000 + round))
      const results = await Promise.all(racers.map((worker) => worker.send('try', dir)))
      const winners = racers.filter((_, i) => results[i] === 'won')
      expect(winners.length, `round ${round}: ${results.join(' | ')}`).toBe(1)
      for (const result of results) if (result !== 'won') expect(result).toMatch(/^lost\tDataDirLockedError\t/)
      await winners[0]?.send('release')
    }
  })

  it('is not blocked by a pid file left by an older version, even when that pid now belongs to a live process', () => {
    const dir = dataDir()
    // pid 1 always runs: the pid of a crashed Support Console recycled by a container restart.
    writeFileSync(join(dir, LOCK_FILE), '1')
    const lock = lockDataDir(dir)
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)
    lock.release()
  })

  it('keeps the lock file on release, so a process still opening the old file can never lock a deleted one', () => {
    const dir = dataDir()
    lockDataDir(dir).release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true)
    lockDataDir(dir).release()
  })

  it('refuses, naming the exact file and leaving it as it was, when the lock file holds something else', () => {
    const dir = dataDir()
    const file = join(dir, LOCK_FILE)
    const foreign = 'not a lock '.repeat(100)
    writeFileSync(file, foreign)
    expect(() => lockDataDir(dir)).toThrow(file)
    expect(readFileSync(file, 'utf8')).toBe(foreign)
  })
})
