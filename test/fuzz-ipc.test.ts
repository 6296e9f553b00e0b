// Property-based fuzzing of main's IPC handlers (fast-check): generated calls on every channel createIpcHandlers
// registers (whatever the contract declares today), with argument lists mixed from values the API takes, near
// misses and fc.anything(), sent through the stand-in for Electron's transport (structured cloning both ways) to
// the real core (SQLite file, drafting against the Gemini emulator). For every call:
// - the reply is {ok: true, value} or {ok: false, error: {code, message}} with a refusal's code (REFUSAL_CODES) and a
//   non-empty message; never 'internal' (or any other code), never a rejection or a throw;
// - a refused call changed nothing: every row of every table (a second, read-only SQLite connection),
//   settings.json, no request to Gemini;
// - a sender main must not trust (an unknown window, another origin, a subframe) is always refused.
// FUZZ_RUNS (or FUZZ_IPC_RUNS) raises the number of calls; FUZZ_SEED replays a run.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, APP_ORIGIN } from '../src/main/app-protocol'
import { DATABASE_FILE, SETTINGS_FILE } from '../src/main/core/config/settings'
import { createIpcHandlers, registerIpcHandlers, type IpcHandlers } from '../src/main/ipc-handlers'
import { createSenderCheck } from '../src/main/trusted-sender'
import { startHarness, type Harness } from './helpers/core-harness'
import { FakeIpc, type FakeWindow } from './helpers/fake-ipc'
import { callArbitrary, materialize, type FuzzCall } from './helpers/fuzz-ipc-args'
import { firstDifference, openTranscriptSnapshots, type TranscriptSnapshots } from './helpers/fuzz-transcripts'
import { waitFor } from './helpers/wait-for'

const RUNS = Number(process.env.FUZZ_IPC_RUNS ?? process.env.FUZZ_RUNS ?? 5_000)
const BATCH = 500
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647)
// 'unavailable' is a refusal too: something the user must set up first (a knowledge-base folder, a writable
// settings file). 'internal' is a bug by definition, and 'storage' (a full disk) cannot happen in a temp folder.
const REFUSAL_CODES = ['invalid-input', 'not-found', 'conflict', 'unavailable']

let h: Harness
let snapshots: TranscriptSnapshots
let ipc: FakeIpc
let handlers: IpcHandlers
/** Unexpected errors main logged (they would be answered as 'internal'). */
const logged: string[] = []
let senders: Record<FuzzCall['sender'], FakeWindow>

beforeAll(async () => {
  h = await startHarness({ settings: { disconnectGraceMs: 100 } })
  for (const title of ['Parcel never arrived', 'Refund für Bestellung 4711', '退货 🙂']) {
    const { id } = await h.core.api.createConversation({ title })
    await h.core.api.addCustomerMessage(id, 'Where is my order?')
    await h.core.api.useReply(id, 'It left the warehouse today.')
  }
  snapshots = openTranscriptSnapshots(join(h.dataDir, DATABASE_FILE))
  ipc = new FakeIpc()
  const appWindows = new Set<number>()
  handlers = createIpcHandlers(h.core.api, {
    isTrustedSender: createSenderCheck({ origins: [APP_ORIGIN], isAppContents: (id) => appWindows.has(id) }),
    logError: (message, error) => logged.push(`${message} ${error instanceof Error ? error.stack : String(error)}`),
  })
  registerIpcHandlers(ipc.ipcMain, handlers)
  const trusted = ipc.openWindow({ url: APP_ENTRY_URL })
  const foreignOrigin = ipc.openWindow({ url: 'https://evil.example/index.html' })
  const subframe = ipc.openWindow({ url: APP_ENTRY_URL, mainFrame: false })
  for (const window of [trusted, foreignOrigin, subframe]) appWindows.add(window.id)
  // Not one of ours: a window the app never opened.
  senders = { trusted, 'foreign-origin': foreignOrigin, subframe, 'unknown-window': ipc.openWindow({ url: APP_ENTRY_URL }) }
})

afterAll(async () => {
  handlers?.dispose()
  snapshots?.close()
  await h?.close()
})

const settingsText = (): string => {
  const file = join(h.dataDir, SETTINGS_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8') : ''
}

async function quiesce(): Promise<void> {
  if (h.core.hub.liveCount === 0 && snapshots.streaming() === 0) return
  await waitFor(() => h.core.hub.liveCount === 0 && snapshots.streaming() === 0, 'drafts started by a call to end', 20_000)
}

/** A served delete may remove the seeded conversations; refusals are only worth checking against real transcripts. */
async function keepSeeded(): Promise<void> {
  for (let n = snapshots.counts().conversations; n < 3; n++) {
    const { id } = await h.core.api.createConversation({ title: `Reseeded ${n}` })
    await h.core.api.addCustomerMessage(id, 'Is anyone there?')
  }
}

/** What is wrong with a reply, or nothing. */
function replyProblems(reply: unknown, sender: FuzzCall['sender']): string[] {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) return [`the reply is not an IpcResult: ${String(reply)}`]
  const result = reply as { ok: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } }
  if (result.ok === true) {
    if (Object.keys(result).some((key) => key !== 'ok' && key !== 'value')) return ['an ok reply has keys other than ok and value']
    return sender === 'trusted' ? [] : [`a call from an untrusted sender (${sender}) was served`]
  }
  if (result.ok !== false || typeof result.error !== 'object' || result.error === null) return ['the reply is neither ok nor an error']
  const { code, message } = result.error
  const problems: string[] = []
  if (typeof code !== 'string' || !REFUSAL_CODES.includes(code)) problems.push(`error code ${String(code)} is not one of ${REFUSAL_CODES.join(', ')}`)
  if (typeof message !== 'string' || message.trim().length === 0) problems.push('the error has no message')
  if (sender !== 'trusted' && code !== 'invalid-input') problems.push(`an untrusted sender (${sender}) got ${String(code)}, not invalid-input`)
  return problems
}

const stats = new Map<string, number>()
const count = (key: string): void => void stats.set(key, (stats.get(key) ?? 0) + 1)

/** Shows an argument list readably, whatever it holds (BigInt, Map, undefined, ...). */
const show = (args: unknown[]): string => {
  const text = JSON.stringify(args, (_, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Map ? { Map: [...v] } : v instanceof Set ? { Set: [...v] } : v === undefined ? '(undefined)' : v,
  )
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text
}

/** Time spent per channel, call and checks included: the summary names the slowest. */
const timeSpent = new Map<string, number>()

async function callOne(call: FuzzCall): Promise<void> {
  const startedAt = Date.now()
  await quiesce()
  await keepSeeded()
  const before = snapshots.take()
  const settingsBefore = settingsText()
  const geminiBefore = h.emulator.requests.length
  const loggedBefore = logged.length
  const args = materialize(call.args, snapshots.ids())
  let reply: unknown
  const problems: string[] = []
  try {
    reply = await senders[call.sender].renderer.invoke(call.channel, ...args)
    problems.push(...replyProblems(reply, call.sender))
  } catch (error) {
    problems.push(`the call rejected: ${error instanceof Error ? error.message : String(error)}`)
  }
  await quiesce()
  const served = typeof reply === 'object' && reply !== null && (reply as { ok?: unknown }).ok === true
  if (!served) {
    const after = snapshots.take()
    if (after !== before) problems.push(`a refused call changed the database ${firstDifference(before, after)}`)
    if (settingsText() !== settingsBefore) problems.push('a refused call changed settings.json')
    if (h.emulator.requests.length !== geminiBefore) problems.push('a refused call reached Gemini')
  }
  if (logged.length > loggedBefore) problems.push(`main logged an unexpected error: ${logged.slice(loggedBefore).join('\n')}`)
  const code = served ? 'ok' : ((reply as { error?: { code?: string } } | undefined)?.error?.code ?? 'no reply')
  count(`${call.channel} ${call.sender === 'trusted' ? '' : `(${call.sender}) `}${code}`)
  timeSpent.set(call.channel, (timeSpent.get(call.channel) ?? 0) + Date.now() - startedAt)
  if (problems.length > 0) {
    throw new Error([...problems, `call: ${call.channel} from ${call.sender} with ${show(args)}`, `reply: ${show([reply])}`].join('\n'))
  }
}

describe('the IPC handlers under fuzzed calls', () => {
  it(
    `answer ${RUNS} generated calls on every channel with a result or a refusal, never 'internal', and change nothing they refuse`,
    async () => {
      const channels = [...handlers.handlers.keys()].sort()
      expect(channels.length).toBeGreaterThan(0)
      const arbitrary = callArbitrary(channels)
      const started = Date.now()
      let made = 0
      for (let batch = 0; made < RUNS; batch++) {
        const numRuns = Math.min(BATCH, RUNS - made)
        await fc.assert(
          fc.asyncProperty(arbitrary, async (call) => {
            made++
            await callOne(call)
          }),
          { numRuns, seed: SEED + batch },
        )
        // Subscriptions made by the fuzz pile up to the per-window limit otherwise; the window "reloads".
        handlers.releaseSender(senders.trusted.id)
      }
      const served = [...stats].filter(([k]) => k.endsWith(' ok')).reduce((n, [, v]) => n + v, 0)
      const perChannel = channels.map((channel) => {
        const entries = [...stats].filter(([k]) => k.startsWith(`${channel} `))
        return `${channel}: ${entries.map(([k, v]) => `${k.slice(channel.length + 1)} ${v}`).join(', ')}`
      })
      console.log(
        `fuzz-ipc: ${made} generated calls (seed ${SEED}, runs ${RUNS}) on ${channels.length} channels in ${Date.now() - started} ms; ` +
          `${served} served, ${made - served} refused; slowest: ${[...timeSpent]
            .sort(([, a], [, b]) => b - a)
            .slice(0, 3)
            .map(([c, ms]) => `${c} ${ms} ms`)
            .join(', ')}\n  ${perChannel.join('\n  ')}`,
      )
      // Every channel was tried and some calls got through: the generator reaches past the argument checks.
      for (const channel of channels)
        expect(
          [...stats.keys()].some((k) => k.startsWith(`${channel} `)),
          channel,
        ).toBe(true)
      expect(served).toBeGreaterThan(0)
    },
    60_000 + RUNS * 20,
  )
})
