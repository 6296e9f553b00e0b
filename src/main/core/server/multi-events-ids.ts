// Event ids of the multi-conversation stream (`GET /events`): each id holds where the client is in every
// conversation it has seen, and the newest message id when the stream first opened. A client that reconnects with
// `Last-Event-ID` so resumes each conversation exactly where it was, and gets, for conversations it had seen
// nothing of, every draft that started while it was away (their message ids are greater: ids only grow).
// Pure, so the format is tested alone.
import { MAX_FOLLOWED_CONVERSATIONS } from '../../../shared/limits'

export interface ConversationPosition {
  messageId: number
  seq: number
}

export interface MultiStreamPosition {
  /** The newest message id in the followed conversations when the stream first opened. */
  watermark: number
  /** By conversation id: the last event delivered (its draft's message id and the event's seq). */
  positions: Map<number, ConversationPosition>
}

/** `w<watermark>` then `_<conversation>.<message>.<seq>` for each conversation seen, in conversation order. */
export function encodeMultiEventId({ watermark, positions }: MultiStreamPosition): string {
  const seen = [...positions.entries()].sort(([a], [b]) => a - b)
  return `w${watermark}${seen.map(([conversationId, { messageId, seq }]) => `_${conversationId}.${messageId}.${seq}`).join('')}`
}

const ID_PATTERN = new RegExp(`^w(\\d{1,15})((?:_\\d{1,15}\\.\\d{1,15}\\.\\d{1,9}){0,${MAX_FOLLOWED_CONVERSATIONS}})$`)

/** The position an id names, or undefined for anything this stream did not send. */
export function parseMultiEventId(value: string): MultiStreamPosition | undefined {
  const match = value.trim().match(ID_PATTERN)
  if (!match) return undefined
  const positions = new Map<number, ConversationPosition>()
  for (const part of (match[2] as string).split('_').slice(1)) {
    const [conversationId, messageId, seq] = part.split('.').map(Number) as [number, number, number]
    positions.set(conversationId, { messageId, seq })
  }
  return { watermark: Number(match[1]), positions }
}
