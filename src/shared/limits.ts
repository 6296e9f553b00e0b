// Every size limit of the app's inputs, in one place: the schemas (schemas.ts), the transports' body sizes
// and the renderer's counters all read them here, so no two places can disagree. Documented in the README.

/** Longest customer message accepted, in characters (also GET/POST /chat/stream's `message`). */
export const MAX_MESSAGE_CHARS = 32_000

/** Longest agent reply saved: a draft of a long message, edited, may well be longer than the message. */
export const MAX_REPLY_CHARS = MAX_MESSAGE_CHARS * 2

/** Longest conversation title, typed or given by an integration. */
export const MAX_TITLE_CHARS = 200

/** A title made from a conversation's first message is cut to this, so a list of thousands stays readable. */
export const AUTO_TITLE_CHARS = 80

/** Longest integration name (`source`). */
export const MAX_SOURCE_CHARS = 64

/** Longest search text. */
export const MAX_SEARCH_CHARS = 500

/** Longest page cursor (the store's cursors are far shorter; anything longer is not one of them). */
export const MAX_CURSOR_CHARS = 200

/** Page size bounds for conversation listings. */
export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200

/** Settings: the Gemini model name, the persona (system instruction), the browser origins allowed to call the API. */
export const MAX_MODEL_NAME_CHARS = 100
export const MAX_PERSONA_CHARS = 20_000
export const MAX_ALLOWED_ORIGINS = 50
export const MIN_API_KEY_CHARS = 10
export const MAX_API_KEY_CHARS = 200
/** The local endpoint's port: a TCP port, 0 asking the system for any free one. */
export const MAX_PORT = 65_535

/** The knowledge base: passages a draft is grounded in, and the token budget they share (estimated at 4 characters a token). */
export const DEFAULT_KB_PASSAGES = 5
export const MIN_KB_PASSAGES = 1
export const MAX_KB_PASSAGES = 20
export const DEFAULT_KB_TOKEN_BUDGET = 2_000
export const MIN_KB_TOKEN_BUDGET = 200
export const MAX_KB_TOKEN_BUDGET = 20_000
/** Longest knowledge-base folder path accepted from Settings. */
export const MAX_KB_DIR_CHARS = 4_096
/** Documents added from the console: the largest file, the most files and the most bytes in one call, the longest name. */
export const MAX_KB_DOCUMENT_BYTES = 10 * 1024 * 1024
export const MAX_KB_UPLOAD_FILES = 20
export const MAX_KB_UPLOAD_BYTES = 25 * 1024 * 1024
export const MAX_KB_FILE_NAME_CHARS = 255

/** Steering a draft: a rewrite's free instruction (or a language's name), and the reason given with a thumbs up or down. */
export const MAX_INSTRUCTION_CHARS = 2_000
export const MAX_FEEDBACK_REASON_CHARS = 1_000
/** A language named for a translation ("German", "Brazilian Portuguese"). */
export const MAX_LANGUAGE_NAME_CHARS = 60

/** Snippets (canned replies): a title, a body as long as a customer message, a shortcut typed after `/`. */
export const MAX_SNIPPET_TITLE_CHARS = 200
export const MAX_SNIPPET_BODY_CHARS = MAX_MESSAGE_CHARS
export const MAX_SHORTCUT_CHARS = 32
/** How many snippets a console keeps: the picker searches them all as the agent types. */
export const MAX_SNIPPETS = 2_000
/** Longest snippets file importSnippets reads. */
export const MAX_SNIPPETS_FILE_CHARS = 4_000_000

/** Integration keys' own limits (README, "Rate limits"): requests a minute and streams open at once, per key. */
export const DEFAULT_KEY_REQUESTS_PER_MINUTE = 120
export const DEFAULT_KEY_CONCURRENT_STREAMS = 8
export const MAX_KEY_REQUESTS_PER_MINUTE = 100_000
export const MAX_KEY_CONCURRENT_STREAMS = 1_000

/** How many conversations one `GET /events?conversations=` stream may follow. */
export const MAX_FOLLOWED_CONVERSATIONS = 50

/** The most messages one OpenAI-compatible request (`POST /v1/chat/completions`) may carry. */
export const MAX_CHAT_COMPLETION_MESSAGES = 200

/**
 * The most characters of text one JSON request body may carry, per kind of body; the server turns these into
 * bytes with bodyBytesFor (src/main/core/server/request-body.ts).
 */
export const BODY_CHARS = {
  /** A title, or nothing at all. */
  title: 1_000,
  /** A message or a reply (the longer of the two). */
  message: MAX_REPLY_CHARS,
  /** An integration's chat request (/chat/stream): a customer message and a few short fields. */
  chat: MAX_MESSAGE_CHARS,
  /** An OpenAI-compatible request: the whole conversation so far, as such clients always send it. */
  chatCompletion: MAX_CHAT_COMPLETION_MESSAGES * 2_500,
  /** Settings: the persona plus the other fields. */
  settings: MAX_PERSONA_CHARS + 10_000,
  /** A rewrite: the text (a reply's length) and its instruction. */
  rewrite: MAX_REPLY_CHARS + MAX_INSTRUCTION_CHARS + 1_000,
  /** A snippet: its body plus title and shortcut. */
  snippet: MAX_SNIPPET_BODY_CHARS + MAX_SNIPPET_TITLE_CHARS + 1_000,
  /** An imported snippets file, sent as a JSON string. */
  snippetsImport: MAX_SNIPPETS_FILE_CHARS + 1_000,
  /** Feedback on a draft: the rating and its reason. */
  feedback: MAX_FEEDBACK_REASON_CHARS + 1_000,
  /**
   * Documents added to the knowledge base, as base64. Base64 is ASCII, which JSON never escapes, so each of its
   * characters is one byte where the server allows six per character: hence the sixth. File names may be any text.
   */
  documents: Math.ceil((Math.ceil(MAX_KB_UPLOAD_BYTES / 3) * 4) / 6) + MAX_KB_UPLOAD_FILES * MAX_KB_FILE_NAME_CHARS,
} as const
