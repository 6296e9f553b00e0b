// Snippets (canned replies): the `snippets` table of the transcript database (migration 5), one aggregate of the
// store in its own module. The TranscriptStore opens the database and hands this module its connection.
//
// Search runs in the process over the whole table rather than in SQL: the table is small (at most MAX_SNIPPETS),
// the picker matches inside words while the agent types ("fund" finds "Refund"), and case and accents are folded
// with Unicode's rules, where SQLite's LIKE folds ASCII only. A full read of 2,000 snippets takes a millisecond.
import type Database from 'better-sqlite3'
import { MAX_SHORTCUT_CHARS, MAX_SNIPPET_BODY_CHARS, MAX_SNIPPET_TITLE_CHARS, MAX_SNIPPETS } from '../../../shared/limits'
import type { NewSnippet, Snippet, SnippetImportResult, SnippetUpdate } from '../../../shared/steering'
import { durably } from './database'
import { StoreInputError } from './errors'
import { isId } from './validate'

interface SnippetRow {
  id: number
  title: string
  body: string
  shortcut: string | null
  created_at: string
  updated_at: string
}

/** A shortcut taken by another snippet (shortcuts are unique whatever their case): a conflict, not bad input. */
export class SnippetShortcutTaken extends Error {
  override readonly name = 'SnippetShortcutTaken'
}

const COLUMNS = 'id, title, body, shortcut, created_at, updated_at'
// Alphabetical for the picker; NOCASE so "billing" does not sort after "Zip codes".
const ORDER = 'ORDER BY title COLLATE NOCASE, id'

function prepare(db: Database.Database) {
  return {
    all: db.prepare(`SELECT ${COLUMNS} FROM snippets ${ORDER}`),
    get: db.prepare(`SELECT ${COLUMNS} FROM snippets WHERE id = ?`),
    count: db.prepare('SELECT count(*) AS n FROM snippets'),
    byShortcut: db.prepare('SELECT id FROM snippets WHERE shortcut = ?'),
    insert: db.prepare('INSERT INTO snippets (title, body, shortcut, created_at, updated_at) VALUES (@title, @body, @shortcut, @now, @now)'),
    update: db.prepare('UPDATE snippets SET title = @title, body = @body, shortcut = @shortcut, updated_at = @now WHERE id = @id'),
    delete: db.prepare('DELETE FROM snippets WHERE id = ?'),
    sameContent: db.prepare('SELECT id FROM snippets WHERE title = ? AND body = ? LIMIT 1'),
  }
}

export class SnippetStore {
  private readonly statements: ReturnType<typeof prepare>

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.statements = prepare(db)
  }

  /**
   * Every snippet, alphabetically; with `q`, those whose shortcut, title or body holds every word of it, shortcut
   * matches first, then title matches, then body matches.
   */
  list(q?: string): Snippet[] {
    const rows = this.statements.all.all() as SnippetRow[]
    const words = fold(q ?? '')
      .split(/\s+/)
      .filter((word) => word.length > 0)
    if (words.length === 0) return rows.map(toSnippet)
    const ranked: { row: SnippetRow; rank: number }[] = []
    for (const row of rows) {
      const shortcut = fold(row.shortcut ?? '')
      const title = fold(row.title)
      const all = `${shortcut}\n${title}\n${fold(row.body)}`
      if (!words.every((word) => all.includes(word))) continue
      const rank = words.every((word) => shortcut.startsWith(word)) ? 0 : words.every((word) => title.includes(word)) ? 1 : 2
      ranked.push({ row, rank })
    }
    // Array.prototype.sort is stable: within a rank, the alphabetical order of the query stays.
    return ranked.sort((a, b) => a.rank - b.rank).map(({ row }) => toSnippet(row))
  }

  get(id: number): Snippet | undefined {
    if (!isId(id)) return undefined
    const row = this.statements.get.get(id) as SnippetRow | undefined
    return row && toSnippet(row)
  }

  create(input: NewSnippet): Snippet {
    const values = { ...checked(input.title, input.body, input.shortcut ?? null), now: this.timestamp() }
    // An agent's own writing, like their messages: committed so it survives a power cut (database.ts, durably).
    const id = this.write(() => {
      if ((this.statements.count.get() as { n: number }).n >= MAX_SNIPPETS) {
        throw new StoreInputError(`There are already ${MAX_SNIPPETS} snippets; delete some before adding more.`)
      }
      this.ensureShortcutFree(values.shortcut)
      return Number(this.statements.insert.run(values).lastInsertRowid)
    })
    return this.get(id) as Snippet
  }

  /** Changes the fields given; undefined when there is no such snippet. */
  update(id: number, input: SnippetUpdate): Snippet | undefined {
    return this.write(() => {
      const before = this.get(id)
      if (!before) return undefined
      const values = checked(input.title ?? before.title, input.body ?? before.body, input.shortcut === undefined ? before.shortcut : input.shortcut)
      this.ensureShortcutFree(values.shortcut, id)
      this.statements.update.run({ ...values, id, now: this.timestamp() })
      return this.get(id)
    })
  }

  /** False when there was no such snippet. */
  delete(id: number): boolean {
    return isId(id) && this.write(() => this.statements.delete.run(id).changes > 0)
  }

  /**
   * Adds the snippets that are not there yet, all or none. One with the same title and body as a snippet already
   * kept (or earlier in the same file) is skipped, so importing a file twice adds nothing; one whose shortcut is
   * taken is added without it, because the text is what matters and a shortcut can be given later.
   */
  importMany(snippets: readonly NewSnippet[]): SnippetImportResult {
    return this.write(() => {
      let added = 0
      let skipped = 0
      let count = (this.statements.count.get() as { n: number }).n
      const now = this.timestamp()
      for (const snippet of snippets) {
        const values = checked(snippet.title, snippet.body, snippet.shortcut ?? null)
        if (this.statements.sameContent.get(values.title, values.body)) {
          skipped++
          continue
        }
        if (count >= MAX_SNIPPETS) throw new StoreInputError(`Importing these would make more than ${MAX_SNIPPETS} snippets; nothing was imported.`)
        const shortcut = values.shortcut !== null && this.statements.byShortcut.get(values.shortcut) ? null : values.shortcut
        this.statements.insert.run({ ...values, shortcut, now })
        added++
        count++
      }
      return { added, skipped }
    })
  }

  private ensureShortcutFree(shortcut: string | null, exceptId?: number): void {
    if (shortcut === null) return
    const holder = this.statements.byShortcut.get(shortcut) as { id: number } | undefined
    if (holder && holder.id !== exceptId) throw new SnippetShortcutTaken(`The shortcut /${shortcut} is already used by another snippet.`)
  }

  /** One transaction, fully synced before it returns. */
  private write<T>(change: () => T): T {
    return durably(this.db, () => this.db.transaction(change)())
  }

  private timestamp(): string {
    return this.now().toISOString()
  }
}

function toSnippet(row: SnippetRow): Snippet {
  return { id: row.id, title: row.title, body: row.body, shortcut: row.shortcut, updatedAt: row.updated_at }
}

/** Lower case without accents, for matching: "Rückerstattung" is found by "ruckerst". */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en')
}

// The API's schemas check these first; the store checks again so it is safe on its own, like the rest of it.
function checked(title: unknown, body: unknown, shortcut: unknown): { title: string; body: string; shortcut: string | null } {
  if (typeof title !== 'string' || title.trim().length === 0 || title.trim().length > MAX_SNIPPET_TITLE_CHARS) {
    throw new StoreInputError(`A snippet's title must be text of 1 to ${MAX_SNIPPET_TITLE_CHARS} characters.`)
  }
  if (typeof body !== 'string' || body.trim().length === 0 || body.length > MAX_SNIPPET_BODY_CHARS) {
    throw new StoreInputError(`A snippet's body must be text of 1 to ${MAX_SNIPPET_BODY_CHARS} characters.`)
  }
  if (shortcut !== null && (typeof shortcut !== 'string' || !/^[\p{L}\p{N}_.-]+$/u.test(shortcut) || shortcut.length > MAX_SHORTCUT_CHARS)) {
    throw new StoreInputError(`A snippet's shortcut must be 1 to ${MAX_SHORTCUT_CHARS} letters, digits or - _ . characters.`)
  }
  return { title: title.trim(), body, shortcut }
}
