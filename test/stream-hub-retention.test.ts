// The hub's retention of finished generations is bounded by bytes as well as by count and time, so memory stays
// bounded under sustained drafting whatever the replies' length.
import { describe, expect, it } from 'vitest'
import type { NewGenerationEvent } from '../src/main/core/streaming/generation'
import { Generation } from '../src/main/core/streaming/generation'
import { retainedSize, StreamHub } from '../src/main/core/streaming/stream-hub'

const end: NewGenerationEvent = {
  type: 'end',
  status: 'complete',
  finishReason: 'STOP',
  error: null,
  truncation: null,
  firstTokenMs: 1,
  durationMs: 2,
}

/** A finished generation in conversation `id` with `chunks` deltas of `chunkChars` characters. */
function finishedIn(hub: StreamHub, id: number, chunks: number, chunkChars: number): Generation {
  const generation = new Generation(id, id * 10, 'm', 100)
  hub.add(generation)
  generation.emit({ type: 'meta', conversationId: id, messageId: id * 10, model: 'm' })
  for (let i = 0; i < chunks; i++) generation.emit({ type: 'delta', text: 'x'.repeat(chunkChars) })
  generation.emit(end)
  return generation
}

describe('StreamHub retention by bytes', () => {
  it('estimates a generation by its text as UTF-16 plus a fixed cost per event', () => {
    const hub = new StreamHub()
    const small = finishedIn(hub, 1, 10, 10)
    const large = finishedIn(hub, 2, 10, 10_000)
    expect(retainedSize(large) - retainedSize(small)).toBe(10 * (10_000 - 10) * 2)
    expect(hub.retainedBytes).toBe(retainedSize(small) + retainedSize(large))
  })

  it('lets the oldest go once the finished ones hold more than retainBytes, far below the count cap', () => {
    const oneMiB = 2 ** 20
    const hub = new StreamHub({ retainMs: 60_000, retainCount: 500, retainBytes: 4 * oneMiB })
    // Each draft holds about 1 MiB (256 deltas of 2,048 characters): at most four fit.
    for (let id = 1; id <= 40; id++) finishedIn(hub, id, 256, 2_048)
    expect(hub.retainedBytes).toBeLessThanOrEqual(4 * oneMiB)
    expect(hub.retainedCount).toBe(3)
    expect(hub.find(400)).toBeDefined()
    expect(hub.find(370)).toBeUndefined()
  })

  it('keeps the latest generation replayable even when it alone is over the budget', () => {
    const hub = new StreamHub({ retainMs: 60_000, retainCount: 500, retainBytes: 1_000 })
    finishedIn(hub, 1, 5, 100)
    const big = finishedIn(hub, 2, 5, 1_000)
    expect(hub.retainedCount).toBe(1)
    expect(hub.find(20)).toBe(big)
    expect(hub.retainedBytes).toBe(retainedSize(big))
  })

  it('gives the bytes back when generations expire by time', async () => {
    const hub = new StreamHub({ retainMs: 20, retainCount: 500, retainBytes: 2 ** 30 })
    for (let id = 1; id <= 5; id++) finishedIn(hub, id, 10, 100)
    expect(hub.retainedBytes).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(hub.find(10)).toBeUndefined()
    expect(hub.retainedCount).toBe(0)
    expect(hub.retainedBytes).toBe(0)
  })
})
