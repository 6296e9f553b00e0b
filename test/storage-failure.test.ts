// The data folder stops accepting writes while a draft streams: a full disk (a small tmpfs filled up) and a
// filesystem gone read-only (ext4 on a loop device that hits an error and remounts itself read-only, as
// `errors=remount-ro` does on a real disk). Real core, real SQLite file, the real SDK against the emulator.
// Needs root (mount); skipped with a message otherwise.
import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { ConversationEvent, SupportConsoleApi } from '../src/shared/api'
import type { GenerationEvent } from '../src/shared/generation-events'
import { startHarness, type Harness } from './helpers/core-harness'
import { waitFor } from './helpers/wait-for'

type EndEvent = Extract<GenerationEvent, { type: 'end' }>

const isRoot = process.getuid?.() === 0
/** Mount points to unmount, with the folder to remove afterwards. */
const mounts: Array<{ dir: string; remove: string }> = []
const harnesses: Harness[] = []

/** Runs a command; returns its error message instead of throwing. */
function run(command: string, args: string[]): string | undefined {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

function mountOrSkip(skip: (reason: string) => void, args: string[], dir: string, remove = dir): void {
  const failed = run('mount', [...args, dir])
  if (failed) skip(`cannot mount for this test (${failed.split('\n')[0] ?? ''})`)
  else mounts.push({ dir, remove })
}

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(harnesses.splice(0).map((h) => h.close()))
})

afterAll(() => {
  for (const { dir, remove } of mounts.splice(0).reverse()) {
    if (run('umount', [dir]) === undefined) rmSync(remove, { recursive: true, force: true })
  }
})

/** Console output captured as one line per call, to check nothing floods the log. */
function captureLogs(): string[] {
  const lines: string[] = []
  const record = (...args: unknown[]): void => {
    lines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}\n${a.stack ?? ''}` : String(a))).join(' '))
  }
  vi.spyOn(console, 'error').mockImplementation(record)
  vi.spyOn(console, 'warn').mockImplementation(record)
  vi.spyOn(console, 'log').mockImplementation(record)
  return lines
}

function endOf(api: SupportConsoleApi, conversationId: number, onDelta: () => void): Promise<EndEvent> {
  return new Promise((resolve) => {
    const unsubscribe = api.onConversationEvents(conversationId, (e: ConversationEvent) => {
      if (e.event.type === 'delta') onDelta()
      if (e.event.type !== 'end') return
      unsubscribe()
      resolve(e.event)
    })
  })
}

/** Fills the filesystem holding `dir` to the last byte. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w')
  try {
    for (const size of [1 << 20, 1 << 16, 4096, 512, 1]) {
      const block = Buffer.alloc(size, 0x61)
      try {
        for (;;) writeSync(fd, block)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      }
    }
  } finally {
    closeSync(fd)
  }
}

const rowOf = (dbFile: string, id: number): { status: string; text: string; error_kind: string | null } => {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT status, text, error_kind FROM messages WHERE id = ?').get(id) as {
      status: string
      text: string
      error_kind: string | null
    }
  } finally {
    db.close()
  }
}

const chunks = Array.from({ length: 24 }, (_, i) => `Part ${i + 1} of a careful answer about the refund. `)
const fullText = chunks.join('')

/** A core in a new `dataDir` (on the mount), drafting `chunks` for a new conversation; returns once the first deltas arrived. */
async function draftingIn(dataDir: string, delayMs: number) {
  mkdirSync(dataDir)
  const h = await startHarness({ dataDir })
  harnesses.push(h)
  const api = h.core.api
  const { id } = await api.createConversation({})
  await api.addCustomerMessage(id, 'I want my refund.')
  const logs = captureLogs()

  h.emulator.enqueue({ chunks, delayMs })
  let deltas = 0
  const ended = endOf(api, id, () => deltas++)
  const { messageId } = await api.startDraft(id)
  await waitFor(() => deltas >= 6, 'the first deltas')
  return { h, api, id, messageId, ended, logs }
}

describe.skipIf(!isRoot)('storage failures during a draft (root: real mounts)', () => {
  it('a full disk ends the draft with a storage error, keeps the text, retries quietly and saves it when space returns', async ({ skip }) => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-full-'))
    mountOrSkip(skip, ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs'], dir)
    const { h, api, id, messageId, ended, logs } = await draftingIn(join(dir, 'data'), 40)
    // Let at least one flush reach the file first, so the saved text is a real prefix.
    await new Promise((r) => setTimeout(r, 200))
    const filler = join(dir, 'filler')
    fillUp(filler)

    const end = await ended
    expect(end.status).toBe('error')
    expect(end.error).toMatchObject({ kind: 'storage', retryable: true })
    expect(end.error?.message).toMatch(/kept in memory/)
    expect(end.error?.message).toMatch(/saved/)
    const dbFile = h.core.store.file
    expect(rowOf(dbFile, messageId).status).toBe('streaming')
    // The API does not pretend it was saved either; it still has the whole text.
    const shown = (await api.getConversation(id)).messages.find((m) => m.id === messageId)
    expect(shown).toMatchObject({ status: 'error', errorKind: 'storage', text: fullText })

    // A customer message that cannot be saved is a storage error, not "nothing was lost".
    const post = await fetch(h.authed(`/api/conversations/${id}/messages`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'customer', text: 'Hello?' }),
    })
    const refusal = (await post.json()) as { error: { code: string; message: string } }
    expect(post.status).toBe(507)
    expect(refusal.error.code).toBe('storage')
    expect(refusal.error.message).not.toMatch(/nothing was lost/i)
    expect(refusal.error.message).toMatch(/disk|space|full/i)

    // Retries go on with backoff, but the log gets one line for the episode, not one (with a stack) per retry.
    await new Promise((r) => setTimeout(r, 1500))
    const storageLines = logs.filter((l) => /transcript-store/.test(l))
    expect(storageLines.length).toBeLessThanOrEqual(2)
    expect(storageLines.join('\n')).not.toMatch(/\n\s+at /)

    rmSync(filler)
    await waitFor(() => rowOf(dbFile, messageId).status !== 'streaming', 'the draft to be saved once space returned', 8000)
    expect(rowOf(dbFile, messageId)).toEqual({ status: 'complete', text: fullText, error_kind: null })
    expect(logs.filter((l) => /transcript-store/.test(l) && /saved again|recovered|writable again/i.test(l))).toHaveLength(1)
  }, 15_000)

  it('a filesystem gone read-only ends the draft with a storage error, and the unsaved text goes to a recovery file at shutdown', async ({
    skip,
  }) => {
    const work = mkdtempSync(join(tmpdir(), 'sc-ro-'))
    const image = join(work, 'disk.img')
    const dir = join(work, 'mnt')
    mkdirSync(dir)
    if (run('truncate', ['-s', '8M', image]) || run('mkfs.ext4', ['-q', '-F', image])) skip('mkfs.ext4 is not available')
    mountOrSkip(skip, ['-o', 'loop,errors=remount-ro', image], dir, work)
    const device = basename(execFileSync('findmnt', ['-n', '-o', 'SOURCE', dir], { encoding: 'utf8' }).trim())
    const trigger = `/sys/fs/ext4/${device}/trigger_fs_error`
    if (!existsSync(trigger)) skip(`${trigger} does not exist on this kernel`)

    const { h, api, id, messageId, ended, logs } = await draftingIn(join(dir, 'data'), 30)
    // What ext4 does on a real error with errors=remount-ro: from now on every write fails.
    execFileSync('sh', ['-c', `echo storage-failure-test > ${trigger}`])

    const end = await ended
    expect(end.status).toBe('error')
    expect(end.error).toMatchObject({ kind: 'storage', retryable: true })
    expect((await api.getConversation(id)).messages.find((m) => m.id === messageId)).toMatchObject({ status: 'error', text: fullText })

    const before = new Set(readdirSync(tmpdir()))
    await h.close()
    // The data folder cannot take it: the recovery file goes to the temp folder, and the log says where.
    const recovery = readdirSync(tmpdir()).filter((name) => !before.has(name) && /unsaved-drafts-.*\.json$/.test(name))
    expect(recovery).toHaveLength(1)
    const path = join(tmpdir(), recovery[0] ?? '')
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { drafts: Array<{ messageId: number; text: string; status: string }> }
    rmSync(path)
    expect(saved.drafts).toEqual([expect.objectContaining({ messageId, text: fullText, status: 'complete' })])
    expect(logs.some((l) => l.includes(path))).toBe(true)
    expect(logs.filter((l) => /\n\s+at /.test(l))).toEqual([])
  }, 15_000)
})

describe.skipIf(isRoot)('storage failures during a draft', () => {
  it.skip('need root to mount a small tmpfs and an ext4 loop device; run the tests as root to check them', () => undefined)
})
