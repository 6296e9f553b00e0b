// The knowledge base's SQLite file: documents, their passages, and FTS5 indexes over the passages and over whole
// documents (all of a document's passages as one row, for the document-level score in retrieve.ts). Everything
// in it is derived from the folder, so it lives in a file of its own (knowledge.db, beside the transcripts) and
// is never migrated: a file from another schema version, another tokenizer or another folder, or one that is not
// a database at all, is simply emptied and rebuilt by the next scan. The transcript database is never touched.
// Synchronous, like the transcript store: better-sqlite3 answers a search in well under a millisecond.
import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { DocumentFormat } from './blocks'
import type { Passage } from './passages'

// 2: a document-level FTS table beside the passages' one.
const SCHEMA_VERSION = 2
// "KBSC": tells our knowledge index apart from any other SQLite file (the transcripts use their own id).
const APPLICATION_ID = 0x4b425343

export interface KnowledgeIndexOptions {
  /** better-sqlite3's compiled addon, when the default one is built for another runtime (Electron). */
  nativeBinding?: string
  /** Porter stemming in the FTS tokenizer (on by default; off only to measure what it brings). */
  stemming?: boolean
}

export interface DocumentRecord {
  /** Relative to the knowledge-base folder, with forward slashes. */
  path: string
  format: DocumentFormat
  title: string
  size: number
  mtimeMs: number
  /** Of the file's bytes; null when they were never read (too large, unreadable). */
  sha256: string | null
  indexedAt: string
  passageCount: number
  /** Why the document could not be indexed; null when it was. */
  error: string | null
}

export interface StoredPassage extends Passage {
  id: number
  documentPath: string
  documentTitle: string
}

/** One FTS match: a passage and its bm25 relevance (higher is better, unlike SQLite's own sign). */
export interface PassageMatch {
  passage: StoredPassage
  relevance: number
}

/** One document-level FTS match: a document (by path) and its bm25 relevance over all its passages together. */
export interface DocumentMatch {
  documentPath: string
  relevance: number
}

/** bm25 weights of the FTS columns: the document title, the heading path, and the passage's text. */
export interface ColumnWeights {
  title: number
  headings: number
  body: number
}

interface DocumentRow {
  path: string
  format: DocumentFormat
  title: string
  size: number
  mtime_ms: number
  sha256: string | null
  indexed_at: string
  passage_count: number
  error: string | null
}

interface PassageRow {
  id: number
  ordinal: number
  heading_path: string
  text: string
  char_start: number
  char_end: number
  page: number | null
  words: number
  path: string
  title: string
}

const toDocument = (row: DocumentRow): DocumentRecord => ({
  path: row.path,
  format: row.format,
  title: row.title,
  size: row.size,
  mtimeMs: row.mtime_ms,
  sha256: row.sha256,
  indexedAt: row.indexed_at,
  passageCount: row.passage_count,
  error: row.error,
})

const toPassage = (row: PassageRow): StoredPassage => ({
  id: row.id,
  documentPath: row.path,
  documentTitle: row.title,
  ordinal: row.ordinal,
  headingPath: JSON.parse(row.heading_path) as string[],
  text: row.text,
  start: row.char_start,
  end: row.char_end,
  page: row.page,
  words: row.words,
})

const PASSAGE_COLUMNS = 'p.id, p.ordinal, p.heading_path, p.text, p.char_start, p.char_end, p.page, p.words, d.path, d.title'

function createSchema(db: Database.Database, tokenizer: string): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE documents (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL UNIQUE,
      format TEXT NOT NULL,
      title TEXT NOT NULL,
      size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL,
      sha256 TEXT,
      indexed_at TEXT NOT NULL,
      passage_count INTEGER NOT NULL,
      error TEXT
    ) STRICT;
    CREATE INDEX documents_by_hash ON documents (sha256);
    CREATE TABLE passages (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      ordinal INTEGER NOT NULL,
      heading_path TEXT NOT NULL,
      text TEXT NOT NULL,
      char_start INTEGER NOT NULL,
      char_end INTEGER NOT NULL,
      page INTEGER,
      words INTEGER NOT NULL,
      UNIQUE (document_id, ordinal)
    ) STRICT;
    CREATE VIRTUAL TABLE passages_fts USING fts5(title, headings, body, tokenize = '${tokenizer}');
    -- The FTS rows follow their passages, also when a document's deletion cascades to them.
    CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN DELETE FROM passages_fts WHERE rowid = old.id; END;
    -- Whole documents (rowid = documents.id): what a document is about as a whole, which one passage may not say.
    CREATE VIRTUAL TABLE documents_fts USING fts5(title, headings, body, tokenize = '${tokenizer}');
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN DELETE FROM documents_fts WHERE rowid = old.id; END;
  `)
  db.pragma(`application_id = ${APPLICATION_ID}`)
  db.pragma(`user_version = ${SCHEMA_VERSION}`)
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true })
}

function prepareStatements(db: Database.Database) {
  return {
    document: db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE path = ?'),
    documents: db.prepare<[], DocumentRow>('SELECT * FROM documents ORDER BY path'),
    byHash: db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE sha256 = ? AND error IS NULL ORDER BY path'),
    deleteDocument: db.prepare<[string]>('DELETE FROM documents WHERE path = ?'),
    upsertDocument: db.prepare<[string, string, string, number, number, string | null, string, number, string | null]>(
      `INSERT INTO documents (path, format, title, size, mtime_ms, sha256, indexed_at, passage_count, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET format = excluded.format, title = excluded.title, size = excluded.size, mtime_ms = excluded.mtime_ms,
         sha256 = excluded.sha256, indexed_at = excluded.indexed_at, passage_count = excluded.passage_count, error = excluded.error
       RETURNING id`,
    ),
    deletePassagesOf: db.prepare<[number]>('DELETE FROM passages WHERE document_id = ?'),
    insertPassage: db.prepare<[number, number, string, string, number, number, number | null, number]>(
      'INSERT INTO passages (document_id, ordinal, heading_path, text, char_start, char_end, page, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertFts: db.prepare<[number, string, string, string]>('INSERT INTO passages_fts (rowid, title, headings, body) VALUES (?, ?, ?, ?)'),
    deleteDocumentFts: db.prepare<[number]>('DELETE FROM documents_fts WHERE rowid = ?'),
    insertDocumentFts: db.prepare<[number, string, string, string]>('INSERT INTO documents_fts (rowid, title, headings, body) VALUES (?, ?, ?, ?)'),
    touch: db.prepare<[number, number, string]>('UPDATE documents SET size = ?, mtime_ms = ? WHERE path = ?'),
    rename: db.prepare<[string, string]>('UPDATE documents SET path = ? WHERE path = ?'),
    passage: db.prepare<[number], PassageRow>(`SELECT ${PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.document_id WHERE p.id = ?`),
    passagesOf: db.prepare<[string], PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.path = ? ORDER BY p.ordinal`,
    ),
    search: db.prepare<[number, number, number, string, number], PassageRow & { rank: number }>(
      `SELECT ${PASSAGE_COLUMNS}, bm25(passages_fts, ?, ?, ?) AS rank
       FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id
       WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?`,
    ),
    searchDocuments: db.prepare<[number, number, number, string, number], { path: string; rank: number }>(
      `SELECT d.path, bm25(documents_fts, ?, ?, ?) AS rank FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
       WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?`,
    ),
    matchCount: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM passages_fts WHERE passages_fts MATCH ?'),
    passageCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM passages'),
    counts: db.prepare<[], { documents: number; passages: number; errors: number }>(
      'SELECT count(*) AS documents, coalesce(sum(passage_count), 0) AS passages, count(error) AS errors FROM documents',
    ),
  }
}

type Statements = ReturnType<typeof prepareStatements>

export class KnowledgeIndex {
  private readonly db: Database.Database
  private readonly statements: Statements

  /**
   * Opens (or creates) the index at `file` for the documents of `folder`. A file that does not match (another
   * folder, schema or tokenizer; not a database) is rebuilt empty: it only ever holds what a scan re-creates.
   */
  constructor(
    readonly file: string,
    folder: string,
    options: KnowledgeIndexOptions = {},
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    const tokenizer = options.stemming === false ? 'unicode61 remove_diacritics 2' : 'porter unicode61 remove_diacritics 2'
    const open = (): Database.Database => new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    let db: Database.Database
    try {
      db = open()
      if (!this.matches(db, folder, tokenizer)) {
        db.close()
        removeDatabaseFiles(file)
        db = open()
      }
    } catch {
      // Not a database, or damaged: the folder is the source of truth, so start over.
      removeDatabaseFiles(file)
      db = open()
    }
    this.db = db
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    if ((db.pragma('user_version', { simple: true }) as number) === 0) {
      db.transaction(() => {
        createSchema(db, tokenizer)
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run('folder', folder, 'tokenizer', tokenizer)
      })()
    }
    this.statements = prepareStatements(db)
  }

  private matches(db: Database.Database, folder: string, tokenizer: string): boolean {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version === 0) return (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n === 0
    if (version !== SCHEMA_VERSION || (db.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) return false
    const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]))
    return meta.get('folder') === folder && meta.get('tokenizer') === tokenizer
  }

  document(path: string): DocumentRecord | undefined {
    const row = this.statements.document.get(path)
    return row && toDocument(row)
  }

  documents(): DocumentRecord[] {
    return this.statements.documents.all().map(toDocument)
  }

  /** Indexed documents whose bytes hash to `sha256`: a renamed file is found here under its old path. */
  documentsWithHash(sha256: string): DocumentRecord[] {
    return this.statements.byHash.all(sha256).map(toDocument)
  }

  /** Stores a document and replaces its passages, in one transaction (a search never sees half a document). */
  putDocument(record: Omit<DocumentRecord, 'passageCount'>, passages: readonly Passage[]): void {
    const s = this.statements
    this.db.transaction(() => {
      const { id } = s.upsertDocument.get(
        record.path,
        record.format,
        record.title,
        record.size,
        record.mtimeMs,
        record.sha256,
        record.indexedAt,
        passages.length,
        record.error,
      ) as { id: number }
      s.deletePassagesOf.run(id)
      s.deleteDocumentFts.run(id)
      const headingsOf = (path: readonly string[]): string => path.join(' / ')
      for (const p of passages) {
        const { lastInsertRowid } = s.insertPassage.run(id, p.ordinal, JSON.stringify(p.headingPath), p.text, p.start, p.end, p.page, p.words)
        s.insertFts.run(Number(lastInsertRowid), record.title, headingsOf(p.headingPath), p.text)
      }
      if (passages.length > 0) {
        const headings = [...new Set(passages.map((p) => p.headingPath.at(-1) ?? ''))].filter(Boolean).join(' / ')
        s.insertDocumentFts.run(id, record.title, headings, passages.map((p) => p.text).join('\n\n'))
      }
    })()
  }

  /** Records a new size and modification time for a document whose bytes did not change. */
  touchDocument(path: string, size: number, mtimeMs: number): void {
    this.statements.touch.run(size, mtimeMs, path)
  }

  /** Moves a document to a new path, keeping its passages (a rename, found by the content hash). */
  renameDocument(from: string, to: string): void {
    this.db.transaction(() => {
      this.statements.deleteDocument.run(to)
      this.statements.rename.run(to, from)
    })()
  }

  removeDocument(path: string): boolean {
    return this.statements.deleteDocument.run(path).changes > 0
  }

  passage(id: number): StoredPassage | undefined {
    const row = this.statements.passage.get(id)
    return row && toPassage(row)
  }

  /** A document's passages in order: the context a passage is shown in. */
  passagesOf(path: string): StoredPassage[] {
    return this.statements.passagesOf.all(path).map(toPassage)
  }

  /** Runs an FTS5 query (built by query.ts, so never a syntax error) and returns the best `limit` matches. */
  search(match: string, weights: ColumnWeights, limit: number): PassageMatch[] {
    return this.statements.search
      .all(weights.title, weights.headings, weights.body, match, limit)
      .map((row) => ({ passage: toPassage(row), relevance: -row.rank }))
  }

  /** The same query over whole documents: which documents are about it, best first. */
  searchDocuments(match: string, weights: ColumnWeights, limit: number): DocumentMatch[] {
    return this.statements.searchDocuments
      .all(weights.title, weights.headings, weights.body, match, limit)
      .map((row) => ({ documentPath: row.path, relevance: -row.rank }))
  }

  /** How many passages a query matches (its document frequency, for a single word). */
  matchCount(match: string): number {
    return this.statements.matchCount.get(match)?.n ?? 0
  }

  /** How many passages are indexed (cheap: SQLite counts the table's b-tree). */
  passageTotal(): number {
    return this.statements.passageCount.get()?.n ?? 0
  }

  counts(): { documents: number; passages: number; errors: number } {
    return this.statements.counts.get() as { documents: number; passages: number; errors: number }
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
