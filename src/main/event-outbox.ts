// What one IPC subscription has yet to send to its window. A streaming draft produces a delta per chunk;
// sending each as its own IPC message would cost the renderer a task per chunk. The outbox sends at most
// one message per interval (a frame, 16 ms) carrying every event since the last one, in order, with
// consecutive text deltas of the same draft merged into one. Nothing is dropped or reordered: a merged
// delta carries the seq of its last part (so resuming after it stays exact), and any other
// event simply follows the text before it in the same message.
import type { ConversationEvent } from '../shared/api'

export interface EventOutbox {
  push(event: ConversationEvent): void
  /** Sends whatever is pending now. */
  flush(): void
  /** Discards whatever is pending and stops the timer: the subscriber has gone. */
  close(): void
}

export function createEventOutbox(send: (events: ConversationEvent[]) => void, intervalMs = 16): EventOutbox {
  let pending: ConversationEvent[] = []
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const flush = (): void => {
    clearTimeout(timer)
    timer = undefined
    if (pending.length === 0 || closed) return
    const events = pending
    pending = []
    send(events)
  }

  return {
    push(next) {
      if (closed) return
      const last = pending.at(-1)
      if (last && last.messageId === next.messageId && last.event.type === 'delta' && next.event.type === 'delta') {
        // A new object: the events themselves are shared with every other listener of the generation.
        pending[pending.length - 1] = { messageId: next.messageId, event: { ...next.event, text: last.event.text + next.event.text } }
      } else {
        pending.push(next)
      }
      timer ??= setTimeout(flush, intervalMs)
    },
    flush,
    close() {
      closed = true
      clearTimeout(timer)
      timer = undefined
      pending = []
    },
  }
}
