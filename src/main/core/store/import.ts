// Importing a JSON export (issue 9): conversations are matched by their stable uid, so importing the same file
// twice adds nothing. The whole file is checked first (zod) and written in one transaction: a bad file, or a
// failure halfway, changes nothing. Imported conversations keep their times, tags (created by name when missing),
// draft outcomes, feedback, sources and reply uses; a draft that was still streaming in the file is 'interrupted'.
import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { ImportDocument, ImportResult } from '../../../shared/review'
import { durably } from './database'
import { StoreInputError } from './errors'
import { exportFile, type ExportFile } from './export-file'
import type { TagStore } from './tags'

/**
 * Parses and checks an export, given as text or already parsed (the JSON API's body); a StoreInputError names the
 * first problem, with where it is in the file.
 */
export function parseExportFile(json: string | ImportDocument): ExportFile {
  let data: unknown = json
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json)
    } catch (error) {
      throw new StoreInputError(`The file is not JSON (${error instanceof Error ? error.message : String(error)}); nothing was imported.`)
    }
  }
  const parsed = exportFile.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new StoreInputError(`The file is not a valid Support Console export${where}: ${issue?.message ?? 'invalid'}; nothing was imported.`)
  }
  return parsed.data
}

export class ConversationImporter {
  private readonly statements

  constructor(
    private readonly db: Database.Database,
    private readonly tags: TagStore,
  ) {
    this.statements = {
      byUid: db.prepare('SELECT id FROM conversations WHERE uid = ?'),
      conversation: db.prepare(
        'INSERT INTO conversations (uid, title, source, created_at, updated_at, summary) VALUES (@uid, @title, @source, @createdAt, @updatedAt, @summary)',
      ),
      message: db.prepare(`
        INSERT INTO messages (conversation_id, role, text, status, source, model, prompt_tokens, output_tokens, total_tokens,
          first_token_ms, duration_ms, finish_reason, error_kind, error_message, kind, instruction, feedback_rating,
          feedback_reason, feedback_at, created_at, updated_at)
        VALUES (@conversationId, @role, @text, @status, @source, @model, @promptTokens, @outputTokens, @totalTokens,
          @firstTokenMs, @durationMs, @finishReason, @errorKind, @errorMessage, @kind, @instruction, @rating,
          @reason, @at, @createdAt, @updatedAt)`),
      source: db.prepare(
        'INSERT INTO draft_sources (message_id, n, passage_id, path, title, heading, text) VALUES (@messageId, @n, @passageId, @path, @title, @heading, @text)',
      ),
      tag: db.prepare('INSERT OR IGNORE INTO conversation_tags (tag_id, conversation_id) VALUES (?, ?)'),
      use: db.prepare('INSERT INTO reply_uses (agent_message_id, draft_id, edit_distance, similarity) VALUES (?, ?, ?, ?)'),
    }
  }

  import(json: string | ImportDocument): ImportResult {
    const file = parseExportFile(json)
    const seen = new Set<string>()
    for (const conversation of file.conversations) {
      if (seen.has(conversation.uid)) throw new StoreInputError(`The file holds conversation ${conversation.uid} twice; nothing was imported.`)
      seen.add(conversation.uid)
    }
    // Durable: an import is somebody's history arriving, not a re-creatable draft.
    return durably(this.db, () => this.db.transaction(() => this.write(file))())
  }

  private write(file: ExportFile): ImportResult {
    const result: ImportResult = { added: 0, skipped: 0, messages: 0 }
    for (const conversation of file.conversations) {
      if (this.statements.byUid.get(conversation.uid)) {
        result.skipped++
        continue
      }
      const { uid, title, source, createdAt, updatedAt, summary } = conversation
      const conversationId = Number(this.statements.conversation.run({ uid, title, source, createdAt, updatedAt, summary }).lastInsertRowid)
      const newIds = new Map<number, number>()
      for (const m of conversation.messages) {
        const id = Number(
          this.statements.message.run({
            conversationId,
            role: m.role,
            text: m.text,
            status: m.status === 'streaming' ? 'interrupted' : m.status,
            source: m.source,
            model: m.model,
            ...m.usage,
            firstTokenMs: m.firstTokenMs,
            durationMs: m.durationMs,
            finishReason: m.finishReason,
            errorKind: m.errorKind,
            errorMessage: m.errorMessage,
            kind: m.kind,
            instruction: m.instruction,
            rating: m.feedback?.rating ?? null,
            reason: m.feedback?.reason ?? null,
            at: m.feedback?.at ?? null,
            createdAt: m.createdAt,
            updatedAt: m.updatedAt,
          }).lastInsertRowid,
        )
        newIds.set(m.id, id)
        for (const s of m.sources) this.statements.source.run({ messageId: id, ...s, heading: JSON.stringify(s.heading) })
        result.messages++
      }
      for (const m of conversation.messages) {
        const draftId = m.usedDraftId === null ? undefined : newIds.get(m.usedDraftId)
        if (draftId === undefined || m.editDistance === null || m.similarity === null) continue
        this.statements.use.run(newIds.get(m.id), draftId, m.editDistance, m.similarity)
      }
      for (const tag of conversation.tags) this.statements.tag.run(this.tags.ensure(tag.name, tag.color), conversationId)
      result.added++
    }
    return result
  }
}

/** A new conversation's stable id. */
export const newConversationUid = (): string => randomUUID()
