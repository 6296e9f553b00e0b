// TurnBudget (src/main/core/streaming/turn-budget.ts): queued work runs in order, a bounded amount per turn of the
// event loop, so what else is waiting gets its turn in between.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TurnBudget } from '../src/main/core/streaming/turn-budget'

/** Holds the thread for at least `ms`, as a draft start's commit would. */
function spin(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // busy
  }
}

const nextTurns = (n: number): Promise<void> =>
  new Promise((resolve) => {
    const step = (left: number): void => void (left === 0 ? resolve() : setImmediate(() => step(left - 1)))
    step(n)
  })

afterEach(() => vi.restoreAllMocks())

describe('TurnBudget', () => {
  it('runs every task in order, yielding to other work once a turn has used its budget', async () => {
    const budget = new TurnBudget(5, 'test')
    const log: string[] = []
    for (let i = 1; i <= 10; i++) {
      budget.run(() => {
        log.push(`task ${i}`)
        // Work that arrived meanwhile (a chunk to relay), scheduled like I/O for the next turn.
        if (i === 1) setImmediate(() => log.push('other work'))
        spin(2)
      })
    }
    expect(budget.waiting).toBe(10)
    await vi.waitFor(() => expect(budget.waiting).toBe(0))
    const tasks = log.filter((entry) => entry.startsWith('task'))
    expect(tasks).toEqual(Array.from({ length: 10 }, (_, i) => `task ${i + 1}`))
    // 2 ms each against a 5 ms budget: at most three tasks before the other work gets its turn.
    expect(log.indexOf('other work')).toBeGreaterThan(0)
    expect(log.indexOf('other work')).toBeLessThanOrEqual(3)
  })

  it('runs a task queued alone in the same turn, and starts again for tasks queued later', async () => {
    const budget = new TurnBudget(5, 'test')
    const ran: number[] = []
    budget.run(() => ran.push(1))
    await nextTurns(1)
    expect(ran).toEqual([1])
    budget.run(() => ran.push(2))
    await nextTurns(1)
    expect(ran).toEqual([1, 2])
  })

  it('keeps order across many turns while tasks keep arriving', async () => {
    const budget = new TurnBudget(1, 'test')
    const ran: number[] = []
    let queued = 0
    // Each task queues the next one while it runs, so the queue never empties until the last.
    const next = (): void => {
      const n = queued++
      budget.run(() => {
        ran.push(n)
        spin(0.05)
        if (queued < 3_000) next()
      })
    }
    for (let i = 0; i < 5; i++) next()
    await vi.waitFor(() => expect(ran).toHaveLength(3_000), { timeout: 10_000 })
    expect(ran).toEqual(Array.from({ length: 3_000 }, (_, i) => i))
    expect(budget.waiting).toBe(0)
  })

  it('goes on with the queue after a task that throws, and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const budget = new TurnBudget(5, 'test')
    const ran: number[] = []
    budget.run(() => {
      throw new Error('boom')
    })
    budget.run(() => ran.push(2))
    await vi.waitFor(() => expect(ran).toEqual([2]))
    expect(log).toHaveBeenCalledWith(expect.stringContaining('[test] a queued task failed'), expect.objectContaining({ message: 'boom' }))
  })
})
