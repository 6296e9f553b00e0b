// ReplyModel.streamReply in terms of deliverReply: every model here produces events through a callback (no async
// iterator per hop on the hot path), and offers the same events as an async iterable to callers that prefer
// `for await`.
import type { ReplyEvent, ReplySink } from './types'

/**
 * An async iterable over a callback producer, for callers that prefer `for await`. Events are queued until read;
 * a consumer that stops early (break, return) aborts the producer through the signal it was given.
 */
export function iterate(produce: (sink: ReplySink, signal: AbortSignal) => Promise<void>, outer: AbortSignal): AsyncIterable<ReplyEvent> {
  return {
    [Symbol.asyncIterator]() {
      const controller = new AbortController()
      const forward = (): void => controller.abort(outer.reason)
      if (outer.aborted) controller.abort(outer.reason)
      else outer.addEventListener('abort', forward, { once: true })
      const queue: ReplyEvent[] = []
      let finished = false
      let wake: (() => void) | undefined
      const done = produce((event) => {
        queue.push(event)
        wake?.()
      }, controller.signal).finally(() => {
        finished = true
        outer.removeEventListener('abort', forward)
        wake?.()
      })
      const stop = (): void => {
        controller.abort()
        outer.removeEventListener('abort', forward)
      }
      return {
        async next(): Promise<IteratorResult<ReplyEvent>> {
          while (queue.length === 0 && !finished) await new Promise<void>((resolve) => (wake = resolve))
          wake = undefined
          const event = queue.shift()
          return event ? { value: event, done: false } : { value: undefined, done: true }
        },
        async return(): Promise<IteratorResult<ReplyEvent>> {
          stop()
          await done
          return { value: undefined, done: true }
        },
      }
    },
  }
}
