// Reads a JSON request body with a size bound, so an oversized or malformed body is a clear 4xx.
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-errors'

/**
 * The byte limit of a JSON body that carries up to `chars` characters of text (limits.ts BODY_CHARS): a character
 * takes up to 4 bytes in UTF-8 and up to 6 as a JSON escape, plus room for the rest of the body.
 */
export const bodyBytesFor = (chars: number): number => chars * 6 + 4_096

export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported-media-type', 'Send the body as JSON with "Content-Type: application/json".')
  }
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > maxBytes) throw tooLarge(request, maxBytes)

  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > maxBytes) throw tooLarge(request, maxBytes)
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'malformed-json', 'The body is not valid JSON.')
  }
}

// The rest of the body is read and dropped, so the client finishes sending and then reads the 413,
// instead of seeing its upload cut off with a connection reset.
function tooLarge(request: IncomingMessage, maxBytes: number): HttpError {
  request.resume()
  return new HttpError(413, 'payload-too-large', `The body is larger than ${maxBytes} bytes.`)
}
