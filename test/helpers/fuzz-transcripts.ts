// What a refused request or call must not change: every row of every table (transcripts, their search index, and
// whatever else the schema holds), read straight from the SQLite file over a second, read-only connection (not
// through the core, whose own reads a bug could share).
import Database from 'better-sqlite3'

export interface TranscriptSnapshots {
  /** Every row of every table, as one comparable string. */
  take(): string
  /** Conversations and messages counted, for the run summary. */
  counts(): { conversations: number; messages: number }
  /** Ids of the conversations that exist, oldest first. */
  ids(): number[]
  /** Rows still being written by a live draft. */
  streaming(): number
  close(): void
}

export function openTranscriptSnapshots(databaseFile: string): TranscriptSnapshots {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true })
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]
  ).map((name) => ({ name, rows: db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw() }))
  const count = db.prepare('SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages')
  const ids = db.prepare('SELECT id FROM conversations ORDER BY id').pluck()
  const streaming = db.prepare("SELECT count(*) AS n FROM messages WHERE status = 'streaming'")
  return {
    // Rows in storage order: stable between two reads with no write in between, which is all a comparison needs.
    take: () =>
      JSON.stringify(
        tables.map(({ name, rows }) => [name, rows.all()]),
        blobsAsBase64,
      ),
    counts: () => count.get() as { conversations: number; messages: number },
    ids: () => ids.all() as number[],
    streaming: () => (streaming.get() as { n: number }).n,
    close: () => db.close(),
  }
}

/** BLOB columns (the search index's pages) as base64 instead of JSON's array of byte numbers. */
function blobsAsBase64(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key]
  return Buffer.isBuffer(raw) ? raw.toString('base64') : value
}

/** Where two snapshots first differ, for a failure message a person can read. */
export function firstDifference(before: string, after: string): string {
  let i = 0
  while (i < before.length && before[i] === after[i]) i++
  return `at ${i}: before …${before.slice(Math.max(0, i - 80), i + 120)}… after …${after.slice(Math.max(0, i - 80), i + 120)}…`
}
