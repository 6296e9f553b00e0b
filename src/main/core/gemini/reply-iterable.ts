// ReplyModel.streamReply in terms of deliverReply: every model here produces events through a callback (no async
// iterator per hop on the hot path), and offers the same events as an async iterable to callers that prefer
// `for await`.
import type { ReplyEvent, ReplyRequest, ReplySink } from './types'

type Deliver = (request: ReplyRequest, sink: ReplySink) => Promise<void>

/**
 * A model's deliverReply as an async iterable, for callers that prefer `for await`. Events are queued until read;
 * a consumer that stops early (break, return) aborts the request through the signal deliverReply is given.
 */
export function replyIterable(deliver: Deliver, request: ReplyRequest): AsyncIterable<ReplyEvent> {
  const outer = request.signal
  const produce = (sink: ReplySink, signal: AbortSignal): Promise<void> => deliver({ ...request, signal }, sink)
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
