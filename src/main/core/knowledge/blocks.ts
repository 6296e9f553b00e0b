// What every extractor produces from a document, whatever its format: a title and a flat list of headings and
// paragraphs in reading order. Splitting into passages (passages.ts) works on this alone, so the four formats
// share one set of rules for heading paths and passage sizes.

export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf'

const FORMAT_BY_EXTENSION: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
}

/** The format a file name stands for, or undefined for files the knowledge base does not read. */
export function formatOf(fileName: string): DocumentFormat | undefined {
  const dot = fileName.lastIndexOf('.')
  return dot < 0 ? undefined : FORMAT_BY_EXTENSION[fileName.slice(dot).toLowerCase()]
}

export interface BlockPosition {
  /** Offsets in the document's text: the file itself for Markdown and plain text, the extracted text for HTML and PDF. */
  start: number
  end: number
  /** 1-based page, for PDFs. */
  page?: number
}

export type Block = ({ kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string }) & BlockPosition

export interface ExtractedDocument {
  /** The first level-1 heading, or what the format itself calls the title (HTML <title>, PDF metadata); null if none. */
  title: string | null
  blocks: Block[]
}

/** Collapses runs of whitespace, as a heading or an HTML/PDF paragraph is read. */
export const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim()

/**
 * Builds the block list of a format that has no source text to point into (HTML, PDF): the extracted text is
 * the blocks joined by blank lines, and each block's offsets point into that.
 */
export class BlockWriter {
  readonly blocks: Block[] = []
  private length = 0

  heading(level: number, text: string, page?: number): void {
    this.push({ kind: 'heading', level, text: collapse(text) }, page)
  }

  paragraph(text: string, page?: number): void {
    this.push({ kind: 'paragraph', text: text.trim() }, page)
  }

  private push(block: { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string }, page: number | undefined): void {
    if (block.text === '') return
    const start = this.length === 0 ? 0 : this.length + 2
    this.length = start + block.text.length
    this.blocks.push({ ...block, start, end: this.length, ...(page === undefined ? {} : { page }) })
  }
}

/** The first level-1 heading's text, which names a document better than its file name. */
export const firstH1 = (blocks: readonly Block[]): string | null => blocks.find((b) => b.kind === 'heading' && b.level === 1)?.text ?? null
