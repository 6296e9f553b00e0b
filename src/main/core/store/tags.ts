// Tags on conversations and saved filters (issue 9): tables tags, conversation_tags and saved_filters of the
// transcript database (migration 6). Names are unique whatever their case ("Refund" and "refund" are one tag to a
// person), colours come from the fixed palette (shared/review.ts), and bulk tagging is one transaction.
import type Database from 'better-sqlite3'
import { conversationFilter, MAX_SAVED_FILTERS, MAX_TAG_NAME_CHARS, MAX_TAGS, TAG_COLORS } from '../../../shared/review'
import type { ConversationFilter, SavedFilter, Tag, TagColor, TaggingResult } from '../../../shared/review'
import { StoreInputError } from './errors'
import { isId } from './validate'

/** A name already used by another tag or saved filter: a conflict rather than bad input. */
export class NameTakenError extends Error {
  override readonly name = 'NameTakenError'
}

interface TagRow {
  id: number
  name: string
  color: string
  created_at: string
  conversation_count: number
}

const TAG_COLUMNS = 't.id, t.name, t.color, t.created_at, (SELECT count(*) FROM conversation_tags ct WHERE ct.tag_id = t.id) AS conversation_count'

export class TagStore {
  private readonly statements

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.statements = {
      all: db.prepare(`SELECT ${TAG_COLUMNS} FROM tags t ORDER BY t.name COLLATE NOCASE, t.id`),
      get: db.prepare(`SELECT ${TAG_COLUMNS} FROM tags t WHERE t.id = ?`),
      byName: db.prepare('SELECT id FROM tags WHERE name = ?'),
      count: db.prepare('SELECT count(*) AS n FROM tags'),
      insert: db.prepare('INSERT INTO tags (name, color, created_at) VALUES (?, ?, ?)'),
      update: db.prepare('UPDATE tags SET name = @name, color = @color WHERE id = @id'),
      delete: db.prepare('DELETE FROM tags WHERE id = ?'),
      tag: db.prepare('INSERT OR IGNORE INTO conversation_tags (tag_id, conversation_id) SELECT ?, id FROM conversations WHERE id = ?'),
      untag: db.prepare('DELETE FROM conversation_tags WHERE tag_id = ? AND conversation_id = ?'),
      ofConversation: db.prepare(
        `SELECT ${TAG_COLUMNS} FROM conversation_tags x JOIN tags t ON t.id = x.tag_id WHERE x.conversation_id = ? ORDER BY t.name COLLATE NOCASE`,
      ),
    }
  }

  list(): Tag[] {
    return (this.statements.all.all() as TagRow[]).map(toTag)
  }

  get(id: number): Tag | undefined {
    if (!isId(id)) return undefined
    const row = this.statements.get.get(id) as TagRow | undefined
    return row && toTag(row)
  }

  ofConversation(conversationId: number): Tag[] {
    return (this.statements.ofConversation.all(conversationId) as TagRow[]).map(toTag)
  }

  create(input: { name: string; color?: TagColor }): Tag {
    const name = requireName(input?.name)
    const color = requireColor(input.color ?? 'gray')
    return this.db.transaction(() => {
      if ((this.statements.count.get() as { n: number }).n >= MAX_TAGS)
        throw new StoreInputError(`There are already ${MAX_TAGS} tags; delete one first.`)
      this.assertFree(name)
      const id = Number(this.statements.insert.run(name, color, this.now().toISOString()).lastInsertRowid)
      return this.get(id) as Tag
    })()
  }

  /** The tag with this name (any case), created with the colour when missing: what an import needs. */
  ensure(name: string, color: TagColor): number {
    const existing = this.statements.byName.get(requireName(name)) as { id: number } | undefined
    return existing?.id ?? this.create({ name, color }).id
  }

  update(id: number, change: { name?: string; color?: TagColor }): Tag | undefined {
    const current = this.get(id)
    if (!current) return undefined
    const name = change.name === undefined ? current.name : requireName(change.name)
    const color = change.color === undefined ? current.color : requireColor(change.color)
    return this.db.transaction(() => {
      this.assertFree(name, id)
      this.statements.update.run({ id, name, color })
      return this.get(id)
    })()
  }

  delete(id: number): boolean {
    return isId(id) && this.statements.delete.run(id).changes > 0
  }

  /** Adds the tag to each conversation, in one transaction; unknown ids and those already tagged are not counted. */
  tag(tagId: number, conversationIds: readonly number[]): TaggingResult | undefined {
    if (!this.get(tagId)) return undefined
    const changed = this.db.transaction(() => conversationIds.reduce((n, id) => n + this.statements.tag.run(tagId, id).changes, 0))()
    return { tagId, changed }
  }

  untag(tagId: number, conversationIds: readonly number[]): TaggingResult | undefined {
    if (!this.get(tagId)) return undefined
    const changed = this.db.transaction(() => conversationIds.reduce((n, id) => n + this.statements.untag.run(tagId, id).changes, 0))()
    return { tagId, changed }
  }

  private assertFree(name: string, exceptId?: number): void {
    const other = this.statements.byName.get(name) as { id: number } | undefined
    if (other && other.id !== exceptId) throw new NameTakenError(`A tag named "${name}" already exists.`)
  }
}

function toTag(row: TagRow): Tag {
  return { id: row.id, name: row.name, color: row.color as TagColor, conversationCount: row.conversation_count, createdAt: row.created_at }
}

function requireName(name: unknown): string {
  const clean = typeof name === 'string' ? name.trim() : ''
  if (clean.length === 0 || clean.length > MAX_TAG_NAME_CHARS) throw new StoreInputError(`A tag name must be 1 to ${MAX_TAG_NAME_CHARS} characters.`)
  return clean
}

function requireColor(color: unknown): TagColor {
  if (!(TAG_COLORS as readonly unknown[]).includes(color)) throw new StoreInputError(`A tag colour must be one of: ${TAG_COLORS.join(', ')}.`)
  return color as TagColor
}

interface SavedFilterRow {
  id: number
  name: string
  filter: string
  created_at: string
  updated_at: string
}

/** Named filters; saving under a name that exists (any case) replaces that filter. */
export class SavedFilterStore {
  private readonly statements

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.statements = {
      all: db.prepare('SELECT * FROM saved_filters ORDER BY name COLLATE NOCASE, id'),
      get: db.prepare('SELECT * FROM saved_filters WHERE id = ?'),
      byName: db.prepare('SELECT * FROM saved_filters WHERE name = ?'),
      count: db.prepare('SELECT count(*) AS n FROM saved_filters'),
      insert: db.prepare('INSERT INTO saved_filters (name, filter, created_at, updated_at) VALUES (@name, @filter, @now, @now)'),
      replace: db.prepare('UPDATE saved_filters SET name = @name, filter = @filter, updated_at = @now WHERE id = @id'),
      delete: db.prepare('DELETE FROM saved_filters WHERE id = ?'),
    }
  }

  list(): SavedFilter[] {
    return (this.statements.all.all() as SavedFilterRow[]).map(toSavedFilter)
  }

  save(input: { name: string; filter: ConversationFilter }): SavedFilter {
    const name = typeof input?.name === 'string' ? input.name.trim() : ''
    if (name.length === 0) throw new StoreInputError('A saved filter needs a name.')
    const parsed = conversationFilter.safeParse(input.filter ?? {})
    if (!parsed.success) throw new StoreInputError('The filter to save is not valid.')
    const values = { name, filter: JSON.stringify(parsed.data), now: this.now().toISOString() }
    return this.db.transaction(() => {
      const existing = this.statements.byName.get(name) as SavedFilterRow | undefined
      if (existing) {
        this.statements.replace.run({ ...values, id: existing.id })
        return toSavedFilter(this.statements.get.get(existing.id) as SavedFilterRow)
      }
      if ((this.statements.count.get() as { n: number }).n >= MAX_SAVED_FILTERS) {
        throw new StoreInputError(`There are already ${MAX_SAVED_FILTERS} saved filters; delete one first.`)
      }
      const id = Number(this.statements.insert.run(values).lastInsertRowid)
      return toSavedFilter(this.statements.get.get(id) as SavedFilterRow)
    })()
  }

  delete(id: number): boolean {
    return isId(id) && this.statements.delete.run(id).changes > 0
  }
}

// Written by save() from a parsed filter; a row edited by hand into something else reads as no filter.
function toSavedFilter(row: SavedFilterRow): SavedFilter {
  let filter: ConversationFilter = {}
  try {
    const parsed = conversationFilter.safeParse(JSON.parse(row.filter))
    if (parsed.success) filter = parsed.data
  } catch {
    // Keep the empty filter.
  }
  return { id: row.id, name: row.name, filter, createdAt: row.created_at, updatedAt: row.updated_at }
}
