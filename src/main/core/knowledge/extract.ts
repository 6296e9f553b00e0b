// One entry point from a file's bytes to its headings and paragraphs, whatever the format, and the one place
// that decides when a document cannot be read. Such a document gets a reason a person can act on ("not a text
// file", "not a readable PDF", "no text found") instead of an exception that would stop the indexing of the rest.
import { type DocumentFormat, type ExtractedDocument } from './blocks'
import { extractHtml } from './extract-html'
import { extractMarkdown } from './extract-markdown'
import { extractPdf, PdfReadError } from './extract-pdf'
import { extractPlainText } from './extract-plain-text'

/** A document the knowledge base lists but cannot index; `reason` is shown to the agent. */
export class UnreadableDocumentError extends Error {
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options)
  }
}

const SNIFF_BYTES = 8192
// Text with more control characters than this (besides tab and line breaks) is binary that only looks like text.
const MAX_CONTROL_SHARE = 0.05

/**
 * The text of a Markdown, plain-text or HTML file: UTF-8 (a BOM is dropped), or Windows-1252 when the bytes are
 * not valid UTF-8, as older text files on Windows are. Binary content (NUL bytes, many control characters) is
 * refused rather than indexed as junk.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) throw new UnreadableDocumentError('not a text file (it holds binary data)')
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes)
  }
  const sample = text.slice(0, SNIFF_BYTES)
  // eslint-disable-next-line no-control-regex
  const controls = sample.match(/[\u0000-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0
  if (sample.length > 0 && controls / sample.length > MAX_CONTROL_SHARE) throw new UnreadableDocumentError('not a text file (it holds binary data)')
  return text
}

export async function extractDocument(format: DocumentFormat, bytes: Uint8Array): Promise<ExtractedDocument> {
  let document: ExtractedDocument
  try {
    switch (format) {
      case 'markdown':
        document = extractMarkdown(decodeText(bytes))
        break
      case 'text':
        document = extractPlainText(decodeText(bytes))
        break
      case 'html':
        document = extractHtml(decodeText(bytes))
        break
      case 'pdf':
        document = await extractPdf(bytes)
        break
    }
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw error
    if (error instanceof PdfReadError) throw new UnreadableDocumentError(error.message, { cause: error })
    throw new UnreadableDocumentError(`could not be read (${error instanceof Error ? error.message : String(error)})`, { cause: error })
  }
  if (!document.blocks.some((block) => block.kind === 'paragraph')) {
    throw new UnreadableDocumentError(format === 'pdf' ? 'no text found (a scanned PDF needs text recognition first)' : 'no text found')
  }
  return document
}
