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

/** Event ids name the generation and the event within it, so a reconnect can resume exactly. */
export const eventId = (messageId: number, seq: number): string => `${messageId}-${seq}`

export function parseEventId(value: string | undefined): { messageId: number; seq: number } | undefined {
  const match = value?.trim().match(/^(\d{1,15})-(\d{1,9})$/)
  if (!match) return undefined
  return { messageId: Number(match[1]), seq: Number(match[2]) }
}
