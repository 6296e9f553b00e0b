// The language the customer writes in, told from their messages, for "translate to the customer's language".
//
// eld (Efficient Language Detector, its "small" n-gram set: 60 languages) rather than franc: on the one-line
// messages customers send, franc took "Where is my parcel?" for Italian and answers every text of ten letters or
// more with some language, while eld got each of a dozen short support messages right and says when a result is
// not reliable, which is what "null when unsure" needs. Its data is 1.6 MB of JavaScript that takes ~0.4 s to load,
// so it is loaded on first use, not when the core starts.
import type { Message } from '../../../shared/domain'

/** The customer's latest text is what matters (they may switch languages); this much of it is plenty. */
const SAMPLE_CHARS = 2_000
/** Below this many letters no detector is reliable ("ok", "thanks!"). */
const MIN_LETTERS = 12

interface Detector {
  detect(text: string): { language: string; isReliable(): boolean }
}

let detector: Promise<Detector> | undefined
const englishNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })

function loadDetector(): Promise<Detector> {
  detector ??= import('eld/small').then((module) => module.eld)
  // A failed load is not kept: the next call tries again.
  detector.catch(() => (detector = undefined))
  return detector
}

/**
 * The English name of the language of the customer's messages ("German"), or null when there is too little text
 * or the detector is unsure. Only customer messages count: the agent and drafts may write in another language.
 */
export async function customerLanguage(messages: readonly Pick<Message, 'role' | 'text'>[]): Promise<string | null> {
  const sample = customerSample(messages)
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return null
  const result = (await loadDetector()).detect(sample)
  if (!result.language || !result.isReliable()) return null
  return englishNames.of(result.language) ?? null
}

/** The customer's most recent messages, newest last, up to SAMPLE_CHARS. */
export function customerSample(messages: readonly Pick<Message, 'role' | 'text'>[]): string {
  const parts: string[] = []
  let length = 0
  for (let i = messages.length - 1; i >= 0 && length < SAMPLE_CHARS; i--) {
    const message = messages[i]
    if (message?.role !== 'customer' || message.text.trim() === '') continue
    parts.unshift(message.text)
    length += message.text.length + 1
  }
  return parts.join('\n').slice(-SAMPLE_CHARS)
}
