// Server-Sent Events framing, kept pure so every rule is unit-tested.
// The simple form integrations expect: each chunk of reply text is `data: <text>`, the end is `data: [DONE]`.

export const DONE = '[DONE]'

/** Splits on every line ending the SSE spec knows (CRLF, LF, CR): an EventSource rejoins lines with LF. */
const lineBreak = /\r\n|\r|\n/

/**
 * Cuts reply text so that no event can be mistaken for the terminator: a line of text that is exactly
 * `[DONE]` is split between two events (`[DONE` and `]`). Concatenated, the pieces are the text unchanged.
 */
export function splitAroundTerminator(text: string): string[] {
  const pieces: string[] = []
  let rest = text
  for (;;) {
    const cut = terminatorLineCut(rest)
    if (cut < 0) break
    pieces.push(rest.slice(0, cut))
    rest = rest.slice(cut)
  }
  pieces.push(rest)
  return pieces.filter((p) => p !== '')
}

// Index just before the `]` of the first line that is exactly [DONE], or -1.
function terminatorLineCut(text: string): number {
  const pattern = /(^|\r\n|\r|\n)\[DONE\](?=$|\r|\n)/g
  const match = pattern.exec(text)
  return match ? match.index + match[0].length - 1 : -1
}

export interface SseEvent {
  id?: string
  event?: string
  data: string
}

export function encodeEvent({ id, event, data }: SseEvent): string {
  let frame = ''
  if (id !== undefined) frame += `id: ${id}\n`
  if (event !== undefined) frame += `event: ${event}\n`
  for (const line of data.split(lineBreak)) frame += `data: ${line}\n`
  return `${frame}\n`
}

export const encodeComment = (text: string): string => `: ${text}\n\n`

export const encodeRetry = (ms: number): string => `retry: ${ms}\n\n`

/**
 * How far a client got: every event of the generation up to `seq`, or, with `piece`, the frames 0..piece of
 * event `seq` (one event can take several frames: text split around `[DONE]`, or error + end + [DONE]).
 */
export interface StreamPosition {
  messageId: number
  seq: number
  piece?: number
}

/** Ids name the generation, the event within it and, for all but an event's last frame, the frame. */
export const eventId = ({ messageId, seq, piece }: StreamPosition): string =>
  piece === undefined ? `${messageId}-${seq}` : `${messageId}-${seq}.${piece}`

export function parseEventId(value: string | undefined): StreamPosition | undefined {
  const match = value?.trim().match(/^(\d{1,15})-(\d{1,9})(?:\.(\d{1,4}))?$/)
  if (!match) return undefined
  const position: StreamPosition = { messageId: Number(match[1]), seq: Number(match[2]) }
  if (match[3] !== undefined) position.piece = Number(match[3])
  return position
}

/** Gives each frame of one event its id: the last frame carries the plain event id, so resuming after it is exact. */
export function encodeFrames(messageId: number, seq: number, frames: readonly SseEvent[], afterPiece = -1): string {
  let out = ''
  frames.forEach((frame, piece) => {
    if (piece <= afterPiece) return
    const id = eventId(piece === frames.length - 1 ? { messageId, seq } : { messageId, seq, piece })
    out += encodeEvent({ ...frame, id })
  })
  return out
}
