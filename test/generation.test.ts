import { afterEach, describe, expect, it, vi } from 'vitest'
import type { GenerationEvent } from '../src/shared/generation-events'
import { Generation } from '../src/main/core/streaming/generation'
import { follow, followConversation, type FollowedEvent } from '../src/main/core/streaming/follow'
import { StreamHub } from '../src/main/core/streaming/stream-hub'

const end = { type: 'end', status: 'complete', finishReason: 'STOP', error: null, firstTokenMs: 1, durationMs: 2 } as const
const texts = (events: GenerationEvent[]): string => events.map((e) => (e.type === 'delta' ? e.text : '')).join('')

afterEach(() => vi.useRealTimers())

describe('Generation', () => {
  it('fans out to every listener in order and replays to late listeners', () => {
    const g = new Generation(1, 10, 'm', 1000)
    const early: GenerationEvent[] = []
    g.subscribe((e) => early.push(e))
    g.emit({ type: 'meta', conversationId: 1, messageId: 10, model: 'm' })
    g.emit({ type: 'delta', text: 'Hel' })
    const late: GenerationEvent[] = []
    g.subscribe((e) => late.push(e))
    g.emit({ type: 'delta', text: 'lo' })
    g.emit(end)
    expect(late).toEqual(early)
    expect(early.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(texts(late)).toBe('Hello')
  })

  it('resumes after a given seq', () => {
    const g = new Generation(1, 10, 'm', 1000)
    for (const text of ['a', 'b', 'c']) g.emit({ type: 'delta', text })
    const seen: GenerationEvent[] = []
    g.subscribe((e) => seen.push(e), { afterSeq: 2 })
    expect(seen.map((e) => e.seq)).toEqual([3])
  })

  it('detaches a throwing listener without holding up the others', () => {
    const g = new Generation(1, 10, 'm', 1000)
    const good: GenerationEvent[] = []
    let calls = 0
    g.subscribe(() => {
      calls++
      throw new Error('broken pipe')
    })
    g.subscribe((e) => good.push(e))
    vi.spyOn(console, 'error').mockImplementation(() => {})
    g.emit({ type: 'delta', text: 'a' })
    g.emit({ type: 'delta', text: 'b' })
    expect(calls).toBe(1)
    expect(texts(good)).toBe('ab')
  })

  it('is stopped after the grace period once its last audience listener leaves', () => {
    vi.useFakeTimers()
    const g = new Generation(1, 10, 'm', 5000)
    const off = g.subscribe(() => {})
    off()
    vi.advanceTimersByTime(4000)
    expect(g.signal.aborted).toBe(false)
    // A reconnect within the grace period keeps it alive.
    const again = g.subscribe(() => {})
    vi.advanceTimersByTime(10_000)
    expect(g.signal.aborted).toBe(false)
    again()
    vi.advanceTimersByTime(5000)
    expect(g.signal.aborted).toBe(true)
    expect(g.stopReason).toBe('abandoned')
  })

  it('is not kept alive or stopped by non-audience listeners', () => {
    vi.useFakeTimers()
    const g = new Generation(1, 10, 'm', 100)
    const audience = g.subscribe(() => {})
    g.subscribe(() => {}, { audience: false })
    audience()
    vi.advanceTimersByTime(100)
    expect(g.stopReason).toBe('abandoned')
  })

  it('refuses events after the end', () => {
    const g = new Generation(1, 10, 'm', 100)
    g.emit(end)
    expect(() => g.emit({ type: 'delta', text: 'late' })).toThrow(/ended/)
  })
})

describe('StreamHub', () => {
  it('keeps one live generation per conversation and retires it when it ends', () => {
    const hub = new StreamHub()
    const g = new Generation(1, 10, 'm', 100)
    hub.add(g)
    expect(hub.liveIn(1)).toBe(g)
    expect(() => hub.add(new Generation(1, 11, 'm', 100))).toThrow(/already/)
    g.emit(end)
    expect(hub.liveIn(1)).toBeUndefined()
    // Still replayable for late reconnects.
    expect(hub.find(10)).toBe(g)
  })

  it('lets go of finished generations beyond the retention count', () => {
    const hub = new StreamHub({ retainMs: 60_000, retainCount: 2 })
    for (const id of [1, 2, 3]) {
      const g = new Generation(id, id * 10, 'm', 100)
      hub.add(g)
      g.emit(end)
    }
    expect(hub.find(10)).toBeUndefined()
    expect(hub.find(30)).toBeDefined()
  })

  it('tells followers of a conversation about the live generation and each later one', () => {
    const hub = new StreamHub()
    const first = new Generation(1, 10, 'm', 100)
    hub.add(first)
    const seen: number[] = []
    const stop = hub.follow(1, (g) => seen.push(g.messageId))
    first.emit(end)
    hub.add(new Generation(1, 11, 'm', 100))
    hub.add(new Generation(2, 20, 'm', 100))
    stop()
    expect(seen).toEqual([10, 11])
  })

  it('stopAll aborts every live generation and waits for their ends', async () => {
    const hub = new StreamHub()
    const g = new Generation(1, 10, 'm', 100)
    hub.add(g)
    g.signal.addEventListener('abort', () => setTimeout(() => g.emit({ ...end, status: 'stopped' }), 5))
    await hub.stopAll('shutdown')
    expect(g.ended).toBe(true)
    expect(g.stopReason).toBe('shutdown')
  })
})

describe('Generation ends', () => {
  it('lets go of every listener once the end is delivered, and keeps none that subscribe later', () => {
    const g = new Generation(1, 10, 'm', 100)
    g.subscribe(() => {}, { audience: false })
    g.subscribe(() => {})
    g.emit(end)
    expect(g.listenerCount).toBe(0)
    const seen: GenerationEvent[] = []
    g.subscribe((e) => seen.push(e))
    expect(seen.map((e) => e.type)).toEqual(['end'])
    expect(g.listenerCount).toBe(0)
  })

  it('onEnded returns a Dispose that takes the callback back', () => {
    const g = new Generation(1, 10, 'm', 100)
    const calls: string[] = []
    const dispose = g.onEnded(() => calls.push('taken back'))
    g.onEnded(() => calls.push('kept'))
    dispose()
    g.emit(end)
    expect(calls).toEqual(['kept'])
  })
})

describe('follow', () => {
  const seqs = (seen: FollowedEvent[]): number[] => seen.map((f) => f.event.seq)

  it('replays after a position, follows live, tells each event its previous one, and detaches at the end', () => {
    const g = new Generation(1, 10, 'm', 100)
    for (const text of ['a', 'b']) g.emit({ type: 'delta', text })
    const seen: FollowedEvent[] = []
    follow(g, { afterSeq: 1 }, (f) => seen.push(f))
    g.emit({ type: 'delta', text: 'c' })
    expect(g.listenerCount).toBe(1)
    g.emit(end)
    expect(seqs(seen)).toEqual([2, 3, 4])
    expect(seen.map((f) => f.previous?.seq)).toEqual([1, 2, 3])
    expect(seen.every((f) => f.messageId === 10)).toBe(true)
    expect(g.listenerCount).toBe(0)
  })

  it('attaches to nothing when the generation has ended, whether or not there was something to replay', () => {
    const g = new Generation(1, 10, 'm', 100)
    g.emit({ type: 'delta', text: 'a' })
    g.emit(end)
    const seen: FollowedEvent[] = []
    follow(g, { afterSeq: 0 }, (f) => seen.push(f))
    follow(g, { afterSeq: 2 }, (f) => seen.push(f))
    expect(seqs(seen)).toEqual([1, 2])
    expect(g.listenerCount).toBe(0)
  })

  it('stops delivering when disposed; an audience leaving starts the grace period', () => {
    vi.useFakeTimers()
    const g = new Generation(1, 10, 'm', 100)
    const seen: FollowedEvent[] = []
    const dispose = follow(g, { afterSeq: 0, audience: true }, (f) => seen.push(f))
    g.emit({ type: 'delta', text: 'a' })
    dispose()
    dispose()
    g.emit({ type: 'delta', text: 'b' })
    expect(seqs(seen)).toEqual([1])
    vi.advanceTimersByTime(100)
    expect(g.stopReason).toBe('abandoned')
  })
})

describe('followConversation', () => {
  const draft = (hub: StreamHub, conversationId: number, messageId: number, texts: string[], ends = true): Generation => {
    const g = new Generation(conversationId, messageId, 'm', 100)
    hub.add(g)
    for (const text of texts) g.emit({ type: 'delta', text })
    if (ends) g.emit(end)
    return g
  }

  it('on reconnect replays the rest of the named draft, then each retained draft of the conversation after it, in order, then live ones', () => {
    const hub = new StreamHub()
    const a = draft(hub, 1, 10, ['a1', 'a2'])
    draft(hub, 2, 11, ['other conversation'])
    const b = draft(hub, 1, 12, ['b1'])
    const c = draft(hub, 1, 13, ['c1'], false)
    const seen: FollowedEvent[] = []
    const dispose = followConversation(hub, 1, { messageId: 10, afterSeq: 1 }, (f) => seen.push(f))
    c.emit(end)
    const d = draft(hub, 1, 14, ['d1'])
    expect(seen.map((f) => `${f.messageId}:${f.event.seq}`)).toEqual(['10:2', '10:3', '12:1', '12:2', '13:1', '13:2', '14:1', '14:2'])
    for (const g of [a, b, c, d]) expect(g.listenerCount).toBe(0)
    dispose()
  })

  it('without a position follows only the live draft and later ones; its Dispose detaches from a live draft', () => {
    const hub = new StreamHub()
    draft(hub, 1, 10, ['old'])
    const live = draft(hub, 1, 11, ['now'], false)
    const seen: FollowedEvent[] = []
    const dispose = followConversation(hub, 1, undefined, (f) => seen.push(f))
    expect(live.listenerCount).toBe(1)
    dispose()
    expect(live.listenerCount).toBe(0)
    live.emit(end)
    draft(hub, 1, 12, ['later'])
    expect(seen.map((f) => f.messageId)).toEqual([11])
  })
})

describe('StreamHub retention', () => {
  it('lets go of a finished generation after retainMs', () => {
    vi.useFakeTimers()
    const hub = new StreamHub({ retainMs: 1_000, retainCount: 10 })
    const g = new Generation(1, 10, 'm', 100)
    hub.add(g)
    g.emit(end)
    vi.advanceTimersByTime(999)
    expect(hub.find(10)).toBe(g)
    vi.advanceTimersByTime(1)
    expect(hub.retainedCount).toBe(0)
    expect(hub.find(10)).toBeUndefined()
  })
})
