// What one follower of a conversation (/conversations/{id}/events) costs after many drafts: the server must let
// go of each draft once it has ended, whoever still follows the conversation. Prints the figures it measures.
import { request as httpRequest, type ClientRequest } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { expect, it } from 'vitest'
import type { Generation } from '../src/main/core/streaming/generation'
import { harnessPerTest } from './helpers/core-harness'
import { waitFor } from './helpers/wait-for'

const start = harnessPerTest()

// global.gc without restarting the worker with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

async function collect(): Promise<void> {
  // WeakRefs are cleared only after the job that last dereferenced them: let a few turns pass between collections.
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A follower that counts the drafts it has seen end and keeps nothing else (so the test's own heap stays flat). */
function countingFollower(url: string): Promise<{ ends: () => number; request: ClientRequest }> {
  const marker = '"type":"end"'
  let ends = 0
  let tail = ''
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, (response) => {
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        const text = tail + chunk
        for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) ends++
        tail = text.slice(-(marker.length - 1))
      })
      resolve({ ends: () => ends, request })
    })
    request.on('error', reject)
    request.end()
  })
}

const DRAFTS = 200
const CHUNKS = Array.from({ length: 20 }, (_, i) => `${i}:${'x'.repeat(500)} `)

it(`a follower of a conversation keeps no listener and no event log of its ${DRAFTS} finished drafts`, async () => {
  // The hub's own retention is cut to the minimum so what stays reachable is what the follower holds.
  const h = await start({ streams: { retainCount: 1, retainMs: 1 } })
  const { id } = await h.core.api.createConversation({})
  await h.core.api.addCustomerMessage(id, 'Where is my parcel?')
  const follower = await countingFollower(h.authed(`/conversations/${id}/events?format=json`))
  await collect()
  const heapBefore = process.memoryUsage().heapUsed

  const drafts: Array<WeakRef<Generation>> = []
  let listenersLeft = 0
  for (let i = 0; i < DRAFTS; i++) {
    h.emulator.enqueue({ chunks: CHUNKS })
    const { messageId } = await h.core.api.startDraft(id)
    const generation = h.core.hub.find(messageId) as Generation
    drafts.push(new WeakRef(generation))
    await waitFor(() => follower.ends() === i + 1, `the follower to see draft ${i + 1} end`)
    listenersLeft += generation.listenerCount
  }
  h.emulator.requests.splice(0)
  await new Promise((resolve) => setTimeout(resolve, 20))
  await collect()
  const heapDelta = process.memoryUsage().heapUsed - heapBefore
  const reachable = drafts.filter((d) => d.deref() !== undefined).length

  console.log(
    `follower after ${DRAFTS} drafts (${CHUNKS.join('').length} chars each): ` +
      `${listenersLeft} listeners left on finished drafts, ${reachable} drafts (event logs) still reachable, ` +
      `heap delta ${(heapDelta / 1024 / 1024).toFixed(2)} MiB`,
  )
  expect(listenersLeft).toBe(0)
  // The last draft may still be referenced by the hub's retention (count 1).
  expect(reachable).toBeLessThanOrEqual(1)
  follower.request.destroy()
}, 120_000)
