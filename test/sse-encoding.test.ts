import { describe, expect, it } from 'vitest'
import { DONE, encodeEvent, encodeFrames, parseEventId, splitAroundTerminator } from '../src/main/core/server/sse-encoding'

/** Parses frames the way the SSE spec tells an EventSource to, returning each dispatched message event's data. */
function dispatchedData(stream: string): string[] {
  const out: string[] = []
  let data: string[] = []
  let named = false
  for (const line of stream.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length > 0 && !named) out.push(data.join('\n'))
      data = []
      named = false
    } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    else if (line.startsWith('event:')) named = true
  }
  return out
}

describe('SSE encoding', () => {
  it('splits multi-line text over data lines so EventSource rejoins it exactly', () => {
    const text = 'Dear customer,\n\n- one\n- two\n```js\nconst a = 1\n```\n'
    expect(dispatchedData(encodeEvent({ data: text }))).toEqual([text])
  })

  it('turns CR LF and lone CR into LF, as EventSource would anyway', () => {
    expect(dispatchedData(encodeEvent({ data: 'a\r\nb\rc' }))).toEqual(['a\nb\nc'])
  })

  it('carries id and event name', () => {
    expect(encodeEvent({ id: '7-3', event: 'usage', data: '{}' })).toBe('id: 7-3\nevent: usage\ndata: {}\n\n')
  })

  it('never lets reply text look like the terminator', () => {
    for (const text of ['[DONE]', 'x\n[DONE]', '[DONE]\ny', 'a\r\n[DONE]\r\nb', '[DONE]\n[DONE]', 'data: [DONE]']) {
      const pieces = splitAroundTerminator(text)
      expect(pieces.join('')).toBe(text)
      const stream = pieces.map((p) => encodeEvent({ data: p })).join('')
      expect(stream.split('\n')).not.toContain(`data: ${DONE}`)
      expect(dispatchedData(stream)).not.toContain(DONE)
    }
  })

  it('leaves ordinary text in one piece', () => {
    expect(splitAroundTerminator('the [DONE] marker in a sentence')).toEqual(['the [DONE] marker in a sentence'])
    expect(splitAroundTerminator('')).toEqual([])
  })

  it('parses only ids it issues', () => {
    expect(parseEventId('12-5')).toEqual({ messageId: 12, seq: 5 })
    expect(parseEventId('12-5.0')).toEqual({ messageId: 12, seq: 5, piece: 0 })
    for (const bad of [undefined, '', 'abc', '12', '-1-2', '1-2-3', '1-2.', '1-2.x', '99999999999999999-1']) expect(parseEventId(bad)).toBeUndefined()
  })

  it('gives every frame of one event its own id, the last one the plain event id', () => {
    const frames = [{ data: '[DONE' }, { data: ']' }]
    expect(encodeFrames(7, 3, frames)).toBe('id: 7-3.0\ndata: [DONE\n\nid: 7-3\ndata: ]\n\n')
    // Resuming after the first frame sends only the rest.
    expect(encodeFrames(7, 3, frames, 0)).toBe('id: 7-3\ndata: ]\n\n')
    expect(parseEventId('7-3.0')).toEqual({ messageId: 7, seq: 3, piece: 0 })
  })
})
