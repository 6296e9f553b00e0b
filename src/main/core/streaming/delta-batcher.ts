// Merges consecutive text deltas for a listener that pays per message (IPC to a renderer: one
// webContents.send per frame is plenty). Text is never reordered or dropped: any other event first
// flushes the merged text, and the merged event carries the seq of its last delta so resuming still works.
import type { GenerationEvent } from '../../../shared/generation-events'
import type { Listener } from './generation'

export interface DeltaBatcher {
  listener: Listener
  /** Delivers anything pending now and stops the timer. */
  flush(): void
}

export function batchDeltas(send: Listener, intervalMs = 16): DeltaBatcher {
  let pending: Extract<GenerationEvent, { type: 'delta' }> | undefined
  let timer: NodeJS.Timeout | undefined

  const flush = (): void => {
    clearTimeout(timer)
    timer = undefined
    if (!pending) return
    const event = pending
    pending = undefined
    send(event)
  }

  const listener: Listener = (event) => {
    if (event.type !== 'delta') {
      flush()
      send(event)
      return
    }
    pending = pending ? { ...event, text: pending.text + event.text } : event
    timer ??= setTimeout(flush, intervalMs)
  }

  return { listener, flush }
}
