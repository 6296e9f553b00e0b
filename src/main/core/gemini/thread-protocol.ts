// What the main thread and a Gemini thread (gemini-threads.ts, gemini-thread.ts) say to each other. Everything
// here is plain data: it crosses the thread boundary by structured clone.
import type { GeminiClientOptions, ReplyEvent, Turn } from './types'

/** The client's options without the key getter: the key is read on the main thread for each draft. */
export type ThreadClientOptions = Omit<GeminiClientOptions, 'apiKey'>

export type ToThread =
  | {
      type: 'start'
      id: number
      model: string
      systemInstruction: string
      turns: Turn[]
      apiKey: string | undefined
      options: ThreadClientOptions
    }
  | { type: 'abort'; id: number }

/**
 * Events for any number of drafts, oldest first; the first message, with none, says the thread is up. A thread sends
 * what it has once per turn of its event loop, so chunks that arrive together cost one message, not one each.
 */
export type FromThread = { events: [id: number, event: ReplyEvent][] }
