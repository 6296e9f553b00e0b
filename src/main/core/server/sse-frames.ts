// How a generation's events look on the wire. Plain `onmessage` clients see only reply text and the final
// `[DONE]`; metadata travels as named events (`meta`, `sources`, `usage`, `error`, `end`) that they ignore.
import type { GenerationEvent } from '../../../shared/generation-events'
import { DONE, splitAroundTerminator, type SseEvent } from './sse-encoding'

/**
 * The frames (without ids) for one event. `terminal`: the stream belongs to this one generation and closes
 * with `data: [DONE]` after it. `previous` is the event before it, for line endings split across chunks.
 */
export function textFrames(messageId: number, event: GenerationEvent, terminal: boolean, previous: GenerationEvent | undefined): SseEvent[] {
  switch (event.type) {
    case 'meta':
      return [{ event: 'meta', data: JSON.stringify({ conversationId: event.conversationId, messageId: event.messageId, model: event.model }) }]
    case 'sources':
      // A named event, so an `onmessage` client (which sees only unnamed `data:` frames) is unaffected.
      return [{ event: 'sources', data: JSON.stringify({ messageId, sources: event.sources }) }]
    case 'delta': {
      // A CR LF split over two chunks is one line break: the CR already ended a line on the wire.
      const crlfSplit = previous?.type === 'delta' && previous.text.endsWith('\r') && event.text.startsWith('\n')
      return splitAroundTerminator(crlfSplit ? event.text.slice(1) : event.text).map((data) => ({ data }))
    }
    case 'usage':
      return [{ event: 'usage', data: JSON.stringify(event.usage) }]
    case 'end': {
      const { status, finishReason, firstTokenMs, durationMs, error, truncation } = event
      const frames: SseEvent[] = error ? [{ event: 'error', data: JSON.stringify(error) }] : []
      // `truncation` ({reason, message}) only on a truncated reply, so other end frames stay as they were.
      const cutOff = truncation ? { truncation } : {}
      frames.push({ event: 'end', data: JSON.stringify({ messageId, status, finishReason, ...cutOff, firstTokenMs, durationMs }) })
      if (terminal) frames.push({ data: DONE })
      return frames
    }
  }
}

/**
 * The web console's format (`/conversations/{id}/events?format=json`): each event exactly as the API delivers
 * it, a ConversationEvent as JSON on one `data:` line (JSON escapes every line break).
 */
export const jsonFrames = (messageId: number, event: GenerationEvent): SseEvent[] => [{ data: JSON.stringify({ messageId, event }) }]
