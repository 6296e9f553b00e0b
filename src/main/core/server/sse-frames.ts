// How a generation's events look on the wire. Plain `onmessage` clients see only reply text and the final
// `[DONE]`; metadata travels as named events (`meta`, `usage`, `error`, `end`) that they ignore.
import type { GenerationEvent } from '../../../shared/generation-events'
import { DONE, encodeEvent, eventId, splitAroundTerminator } from './sse-encoding'

/** `terminal`: the stream belongs to this one generation and closes with `data: [DONE]` after it. */
export function framesFor(messageId: number, event: GenerationEvent, terminal: boolean): string {
  const id = eventId(messageId, event.seq)
  switch (event.type) {
    case 'meta':
      return encodeEvent({ id, event: 'meta', data: JSON.stringify({ conversationId: event.conversationId, messageId: event.messageId, model: event.model }) })
    case 'delta':
      return splitAroundTerminator(event.text)
        .map((piece) => encodeEvent({ id, data: piece }))
        .join('')
    case 'usage':
      return encodeEvent({ id, event: 'usage', data: JSON.stringify(event.usage) })
    case 'end': {
      const { status, finishReason, firstTokenMs, durationMs, error } = event
      let frames = error ? encodeEvent({ id, event: 'error', data: JSON.stringify(error) }) : ''
      frames += encodeEvent({ id, event: 'end', data: JSON.stringify({ messageId, status, finishReason, firstTokenMs, durationMs }) })
      if (terminal) frames += encodeEvent({ id, data: DONE })
      return frames
    }
  }
}
