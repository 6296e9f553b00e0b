// Bulk export (issue 9): the selected conversations as one JSON document, a CSV of every message, or Markdown,
// written a page of conversations at a time to a stream, waiting for it to drain (backpressure), so memory stays
// flat however large the archive. The same writer serves the HTTP download (GET /api/export) and the desktop's
// save-to-file jobs (export-jobs.ts), each with progress.
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import type { Conversation, Message } from '../../../shared/domain'
import { EXPORT_FILE_FORMAT, EXPORT_FILE_VERSION, type BulkExportFormat } from '../../../shared/review'
import type { ExportedConversation, ExportedMessage } from '../store/export-file'
import type { ExportSelection } from '../store/export'
import type { TranscriptStore } from '../store/transcript-store'
import { transcriptMarkdown } from './export-transcript'

export interface ExportProgress {
  conversationsDone: number
  conversationsTotal: number
  messagesDone: number
  bytesWritten: number
}

export interface BulkExportOptions {
  /** Called after each page is written. */
  onProgress?: (progress: ExportProgress) => void
  /** Stops between pages; the writer then rejects with the signal's reason. */
  signal?: AbortSignal
  now?: () => Date
}

export const EXPORT_MIME_TYPES: Readonly<Record<BulkExportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
}

const EXTENSIONS: Readonly<Record<BulkExportFormat, string>> = { json: 'json', csv: 'csv', markdown: 'md' }

/** `support-console-export-2026-01-02T03-04-05Z.csv`: ASCII only, so every file system and header takes it. */
export function exportFilename(format: BulkExportFormat, now: Date): string {
  return `support-console-export-${now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-')}.${EXTENSIONS[format]}`
}

export const CSV_COLUMNS = [
  'conversation_id',
  'conversation_uid',
  'conversation_title',
  'conversation_source',
  'tags',
  'message_id',
  'created_at',
  'updated_at',
  'role',
  'kind',
  'status',
  'source',
  'model',
  'prompt_tokens',
  'output_tokens',
  'total_tokens',
  'first_token_ms',
  'duration_ms',
  'finish_reason',
  'error_kind',
  'feedback',
  'used_draft_id',
  'similarity',
  'text',
] as const

/** Writes the export to `sink` (not ended: the caller ends or closes it) and answers the final progress. */
export async function writeBulkExport(
  store: TranscriptStore,
  selection: ExportSelection,
  format: BulkExportFormat,
  sink: Writable,
  options: BulkExportOptions = {},
): Promise<ExportProgress> {
  const now = options.now ?? (() => new Date())
  const progress: ExportProgress = { conversationsDone: 0, conversationsTotal: store.exporter.count(selection), messagesDone: 0, bytesWritten: 0 }
  const write = async (text: string): Promise<void> => {
    if (text.length === 0) return
    progress.bytesWritten += Buffer.byteLength(text, 'utf8')
    if (!sink.write(text)) await drained(sink, options.signal)
  }
  options.onProgress?.({ ...progress })
  if (format === 'json')
    await write(
      `{"format":${JSON.stringify(EXPORT_FILE_FORMAT)},"version":${EXPORT_FILE_VERSION},"exportedAt":${JSON.stringify(now().toISOString())},"conversations":[`,
    )
  for (const page of store.exporter.pages(selection)) {
    options.signal?.throwIfAborted()
    await write(renderPage(page, format, progress.conversationsDone === 0))
    progress.conversationsDone += page.length
    progress.messagesDone += page.reduce((n, c) => n + c.messages.length, 0)
    options.onProgress?.({ ...progress })
  }
  if (format === 'json') await write('\n]}\n')
  else if (format === 'csv' && progress.conversationsDone === 0) await write(stringify([], { header: true, columns: [...CSV_COLUMNS] }))
  options.onProgress?.({ ...progress })
  return progress
}

function renderPage(page: ExportedConversation[], format: BulkExportFormat, first: boolean): string {
  if (format === 'json') return page.map((c, i) => `${first && i === 0 ? '' : ','}\n${JSON.stringify(c)}`).join('')
  if (format === 'csv') return stringify(page.flatMap(csvRows), { header: first, columns: [...CSV_COLUMNS] })
  return page.map((c, i) => `${first && i === 0 ? '' : '\n---\n\n'}${conversationMarkdown(c)}`).join('')
}

function csvRows(c: ExportedConversation): Record<(typeof CSV_COLUMNS)[number], string | number | null>[] {
  const tags = c.tags.map((t) => t.name).join('; ')
  return c.messages.map((m) => ({
    conversation_id: c.id,
    conversation_uid: c.uid,
    conversation_title: c.title,
    conversation_source: c.source,
    tags,
    message_id: m.id,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    role: m.role,
    kind: m.kind,
    status: m.status,
    source: m.source,
    model: m.model,
    prompt_tokens: m.usage.promptTokens,
    output_tokens: m.usage.outputTokens,
    total_tokens: m.usage.totalTokens,
    first_token_ms: m.firstTokenMs,
    duration_ms: m.durationMs,
    finish_reason: m.finishReason,
    error_kind: m.errorKind,
    feedback: m.feedback?.rating ?? null,
    used_draft_id: m.usedDraftId,
    similarity: m.similarity,
    text: m.text,
  }))
}

/** The single-conversation Markdown (export-transcript.ts), with the conversation's tags under its heading. */
function conversationMarkdown(c: ExportedConversation): string {
  const conversation: Conversation = {
    id: c.id,
    title: c.title,
    source: c.source,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    messageCount: c.messages.length,
    summary: c.summary,
  }
  const messages = c.messages.map((m) => toMessage(m, c.id))
  const markdown = transcriptMarkdown({ conversation, messages, customerLanguage: null })
  if (c.tags.length === 0) return markdown
  const [heading, ...rest] = markdown.split('\n')
  return [heading, '', `Tags: ${c.tags.map((t) => t.name).join(', ')}`, ...rest].join('\n')
}

function toMessage(m: ExportedMessage, conversationId: number): Message {
  const { usedDraftId: _used, editDistance: _distance, similarity: _similarity, ...message } = m
  return { ...message, conversationId, errorKind: m.errorKind as Message['errorKind'] }
}

async function drained(sink: Writable, signal: AbortSignal | undefined): Promise<void> {
  // 'close' as well: a client that went away never drains, and must not hold the export (and its page) forever.
  // The listener that loses the race is removed (through its own signal), so none pile up over a long export.
  const settled = new AbortController()
  const both = signal ? AbortSignal.any([signal, settled.signal]) : settled.signal
  try {
    await Promise.race([
      once(sink, 'drain', { signal: both }),
      once(sink, 'close', { signal: both }).then(() => Promise.reject(new Error('the export stream closed'))),
    ])
  } finally {
    settled.abort()
  }
}
