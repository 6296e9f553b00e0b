// The reply the emulator streams for every request in the latency benchmark: a support answer of
// REPLY_CHUNKS chunks of three words, CHUNK_INTERVAL_MS apart (Gemini Flash streams roughly this way),
// each stamped with its send time. Shared by the emulator process and the clients, which check that
// every chunk arrived.
import type { ScriptedReply } from '../test/emulator/gemini-emulator'

export const CHUNK_INTERVAL_MS = 20
const WORDS_PER_CHUNK = 3

const REPLY_TEXT = [
  'Hi Dana, thanks for getting in touch, and I am sorry your order has not arrived yet.',
  'I checked the tracking for order [order number] and the parcel left our warehouse on Monday;',
  'the carrier shows it as delayed at their regional depot because of the storms this week.',
  'Deliveries from that depot are moving again, so it should reach you within two working days.',
  'If it has not arrived by Friday, reply to this email and I will send a replacement at no cost,',
  'or refund you in full if you prefer. You do not need to return anything.',
  'Meanwhile you can follow the parcel on the carrier site with the same tracking number, and I have added a note to your account so',
  'anyone on our team can help.',
  'Thank you for your patience, and sorry again for the wait. Kind regards, Sam from the support team.',
].join(' ')

function chunksOf(text: string, wordsPerChunk: number): string[] {
  const words = text.split(' ')
  const chunks: string[] = []
  for (let i = 0; i < words.length; i += wordsPerChunk) chunks.push(`${words.slice(i, i + wordsPerChunk).join(' ')} `)
  return chunks
}

export const REPLY_CHUNKS_TEXT: readonly string[] = chunksOf(REPLY_TEXT, WORDS_PER_CHUNK)
export const REPLY_CHUNKS = REPLY_CHUNKS_TEXT.length

export function benchReply(): ScriptedReply {
  // The first chunk also waits one interval, as a model needs a moment before its first token; no extra
  // "thinking" delay, so time to first text is the pipeline's own cost plus one interval.
  return { chunks: [...REPLY_CHUNKS_TEXT], delayMs: CHUNK_INTERVAL_MS, stamp: true }
}

/** What the customer writes; the relay stores it, the emulator ignores it. */
export const CUSTOMER_MESSAGE = 'Hello, my order was due on Monday and it still has not arrived. Where is it?'

export const BENCH_API_KEY = 'bench-key'
export const BENCH_MODEL = 'gemini-bench'
