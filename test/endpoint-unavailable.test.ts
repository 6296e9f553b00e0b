// Defect 6: the desktop app's window talks to the core over IPC, so a port that is taken must not stop it.
// With `endpoint: 'optional'` the core starts without its local server, Settings says why, and a new port (or a
// retry on the same one) brings the endpoint up at once. `npm run serve` ('required') still fails clearly.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConversationEvent, SupportConsoleApi } from '../src/shared/api'
import { loadSettings, SETTINGS_FILE, type SettingsFile } from '../src/main/core/config/settings'
import type { EndpointMode } from '../src/main/core/server/local-endpoint'
import { startCore, type SupportConsoleCore } from '../src/main/core/support-console'
import { GeminiEmulator } from './emulator/gemini-emulator'
import { TEST_API_KEY, TEST_TOKEN } from './helpers/core-harness'
import { refusal } from './helpers/api-refusal'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A plain TCP server holding a loopback port, as another program would. */
async function occupyPort(port = 0): Promise<{ port: number; release(): Promise<void> }> {
  const server: Server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port, host: '127.0.0.1' }, () => resolve())
  })
  let released: Promise<void> | undefined
  const release = (): Promise<void> => (released ??= new Promise((resolve) => server.close(() => resolve())))
  cleanups.push(release)
  return { port: (server.address() as AddressInfo).port, release }
}

async function startOn(options: { endpoint: EndpointMode; file: SettingsFile; env?: Record<string, string>; dataDir?: string }): Promise<{
  core: SupportConsoleCore
  dataDir: string
}> {
  const emulator = await GeminiEmulator.start({ apiKey: TEST_API_KEY })
  cleanups.push(() => emulator.close())
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sc-endpoint-'))
  writeFileSync(join(dataDir, SETTINGS_FILE), JSON.stringify(options.file))
  const env = {
    SUPPORT_CONSOLE_DATA_DIR: dataDir,
    GEMINI_API_KEY: TEST_API_KEY,
    GEMINI_BASE_URL: emulator.url,
    SUPPORT_CONSOLE_TOKEN: TEST_TOKEN,
    ...options.env,
  }
  const core = await startCore({ settings: loadSettings(env), endpoint: options.endpoint })
  cleanups.push(() => core.close())
  return { core, dataDir }
}

async function draftToEnd(api: SupportConsoleApi): Promise<ConversationEvent[]> {
  const { id } = await api.createConversation({})
  await api.addCustomerMessage(id, 'Where is my parcel?')
  const events: ConversationEvent[] = []
  const ended = new Promise<void>((resolve) => {
    const dispose = api.onConversationEvents(id, (e) => {
      events.push(e)
      if (e.event.type === 'end') {
        dispose()
        resolve()
      }
    })
  })
  await api.startDraft(id)
  await ended
  return events
}

const health = async (url: string): Promise<number> => (await fetch(`${url}/health`)).status

describe('the local endpoint when its port is taken', () => {
  it("starts the desktop core without it, says why, and keeps the console's API working", async () => {
    const taken = await occupyPort()
    const { core } = await startOn({ endpoint: 'optional', file: { port: taken.port } })

    const view = await core.api.getSettings()
    expect(view.endpoint).toEqual({
      url: null,
      token: TEST_TOKEN,
      status: 'unavailable',
      problem: `Port ${taken.port} is in use by another program.`,
      port: taken.port,
      portFixedBy: null,
    })
    expect(core.endpoint.current).toBeUndefined()
    expect(() => core.server).toThrow(`Port ${taken.port} is in use`)

    const events = await draftToEnd(core.api)
    expect(events.at(-1)?.event).toMatchObject({ type: 'end', status: 'complete' })
    expect(events.some((e) => e.event.type === 'delta')).toBe(true)
  })

  it('listens on the port Settings chooses, at once, and saves it', async () => {
    const taken = await occupyPort()
    const { core, dataDir } = await startOn({ endpoint: 'optional', file: { port: taken.port } })

    const moved = await core.api.updateSettings({ port: 0 })
    expect(moved.endpoint).toMatchObject({ status: 'listening', problem: null, port: 0 })
    const url = moved.endpoint.url ?? ''
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(url).not.toBe(`http://127.0.0.1:${taken.port}`)
    expect(await health(url)).toBe(200)
    const listed = await fetch(`${url}/api/conversations`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })
    expect(listed.status).toBe(200)
    expect(JSON.parse(readFileSync(join(dataDir, SETTINGS_FILE), 'utf8'))).toMatchObject({ port: 0 })
    expect((await core.api.getSettings()).endpoint.url).toBe(url)
  })

  it('moves off a port that became free when asked again, and reports a new port that is taken without stopping', async () => {
    const first = await occupyPort()
    const { core } = await startOn({ endpoint: 'optional', file: { port: first.port } })

    // The same port again is a retry: still taken, still off.
    expect((await core.api.updateSettings({ port: first.port })).endpoint).toMatchObject({ status: 'unavailable', url: null })
    await first.release()
    const retried = await core.api.updateSettings({ port: first.port })
    expect(retried.endpoint).toMatchObject({ status: 'listening', url: `http://127.0.0.1:${first.port}`, problem: null })
    expect(await health(`http://127.0.0.1:${first.port}`)).toBe(200)

    // Moving to a port another program holds closes the old server and leaves the endpoint off, with the reason.
    const second = await occupyPort()
    const refused = await core.api.updateSettings({ port: second.port })
    expect(refused.endpoint).toMatchObject({ status: 'unavailable', url: null, problem: `Port ${second.port} is in use by another program.` })
    await expect(fetch(`http://127.0.0.1:${first.port}/health`)).rejects.toThrow()
    expect((await draftToEnd(core.api)).at(-1)?.event).toMatchObject({ type: 'end', status: 'complete' })
  })

  it('refuses ports that are not ports, and a port SUPPORT_CONSOLE_PORT sets, but retries that one', async () => {
    const taken = await occupyPort()
    const { core } = await startOn({ endpoint: 'optional', file: {}, env: { SUPPORT_CONSOLE_PORT: String(taken.port) } })
    expect((await core.api.getSettings()).endpoint).toMatchObject({ status: 'unavailable', port: taken.port, portFixedBy: 'environment' })

    for (const port of [-1, 65_536, 1.5, Number.NaN]) expect((await refusal(core.api.updateSettings({ port }))).code).toBe('invalid-input')
    const conflict = await refusal(core.api.updateSettings({ port: 0 }))
    expect(conflict.code).toBe('conflict')
    expect(conflict.message).toContain('SUPPORT_CONSOLE_PORT')

    await taken.release()
    expect((await core.api.updateSettings({ port: taken.port })).endpoint).toMatchObject({
      status: 'listening',
      url: `http://127.0.0.1:${taken.port}`,
    })
  })

  it("still fails `npm run serve`'s start-up clearly, and frees the data folder", async () => {
    const taken = await occupyPort()
    const dataDir = mkdtempSync(join(tmpdir(), 'sc-endpoint-'))
    await expect(startOn({ endpoint: 'required', file: { port: taken.port }, dataDir })).rejects.toThrow(
      `Port ${taken.port} on 127.0.0.1 is already in use. Set SUPPORT_CONSOLE_PORT to another port (0 picks a free one).`,
    )
    const { core } = await startOn({ endpoint: 'required', file: { port: 0 }, dataDir })
    expect(await health(core.server.url)).toBe(200)
    // There the server is the console itself: Settings cannot move it away from under the page.
    expect((await core.api.getSettings()).endpoint).toMatchObject({ status: 'listening', portFixedBy: 'web-console' })
    const refused = await refusal(core.api.updateSettings({ port: taken.port }))
    expect(refused).toMatchObject({ code: 'conflict' })
    expect(refused.message).toContain('settings.json')
  })
})
