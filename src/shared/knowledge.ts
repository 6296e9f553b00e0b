// The knowledge base as the console and integrations see it: its state and documents, retrieved passages, and the
// sources a grounded draft cites. Argument schemas of the knowledge-base API methods are here too (api-contract.ts).
import { z } from 'zod'
import { MAX_KB_FILE_NAME_CHARS, MAX_KB_UPLOAD_FILES, MAX_SEARCH_CHARS } from './limits'

/** The model an offline draft is saved with: never a Gemini model name, so it cannot be taken for a Gemini reply. */
export const OFFLINE_DRAFT_MODEL = 'knowledge-base (offline)'

/** The file types the knowledge base reads (and accepts from the console), lower case, without the dot. */
export const KNOWLEDGE_EXTENSIONS = ['md', 'markdown', 'txt', 'html', 'htm', 'pdf'] as const

/** A passage a draft was grounded in, as saved with the draft: cited in its text as [n]. */
export interface DraftSource {
  /** The number the draft cites it by, from 1. */
  n: number
  /** The passage in the knowledge base when the draft was written (the index may have changed since). */
  passageId: number
  /** The document, relative to the knowledge-base folder, with forward slashes. */
  path: string
  title: string
  /** The headings above the passage, outermost first. */
  heading: string[]
  /** The passage's text as the draft saw it. */
  text: string
}

export type KnowledgeBaseState = 'off' | 'indexing' | 'ready' | 'error'

export interface KnowledgeDocumentView {
  path: string
  title: string
  passages: number
  indexedAt: string | null
  sizeBytes: number
  /** Why the document could not be indexed; null when it was. */
  error: string | null
}

export interface KnowledgeBaseView {
  /** The folder; null when none is set ('off'). */
  dir: string | null
  state: KnowledgeBaseState
  /** Files indexed so far of the scan or batch of changes under way; null when idle. */
  progress: { done: number; total: number } | null
  /** Why the folder cannot be indexed or followed. */
  error: string | null
  documents: KnowledgeDocumentView[]
  passageCount: number
}

export interface RetrievedPassageView {
  passageId: number
  path: string
  title: string
  heading: string[]
  text: string
  /** Higher is more relevant; comparable within one answer only. */
  score: number
}

/** A passage with the text of its neighbours in the same document, to read it in context. */
export interface PassageInContext {
  passage: RetrievedPassageView
  /** The passage before it in the document ('' for the first). */
  before: string
  /** The passage after it ('' for the last). */
  after: string
}

export interface NewKnowledgeDocument {
  name: string
  contentBase64: string
}

export interface AddedKnowledgeDocuments {
  /** The names the files were saved under, relative to the folder (a name already taken gets a number). */
  added: string[]
  refused: Array<{ name: string; reason: string }>
}

export const knowledgeSearchText = z
  .string({ message: 'the search text must be text' })
  .max(MAX_SEARCH_CHARS, `the search text is longer than ${MAX_SEARCH_CHARS} characters`)

/** A passage id as an API argument (the REST route turns the path's digits into the number). */
export const passageIdArg = z
  .number({ message: 'passage id must be a number' })
  .int('passage id must be a whole number')
  .positive('passage id must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'passage id is too large')

/**
 * Files to add. Only the shape is checked here; each file's name, type and size are judged one by one by the core,
 * which refuses the bad ones by name and keeps the rest.
 */
export const newKnowledgeDocuments = z
  .array(
    z
      .object({
        name: z
          .string({ message: 'each file needs a name' })
          .min(1, 'each file needs a name')
          .max(MAX_KB_FILE_NAME_CHARS * 4, 'a file name is too long'),
        contentBase64: z.string({ message: 'each file needs its content as base64' }),
      })
      .strict(),
  )
  .min(1, 'give at least one file')
  .max(MAX_KB_UPLOAD_FILES, `at most ${MAX_KB_UPLOAD_FILES} files at a time`)

/** A document as the API names it: relative to the knowledge-base folder. */
export const knowledgeDocumentPath = z.string({ message: 'path must be text' }).min(1, 'path must not be empty').max(4_096, 'path is too long')
