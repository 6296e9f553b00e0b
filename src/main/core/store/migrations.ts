// Versioned schema migrations. The schema version lives in PRAGMA user_version; each migration runs in
// its own transaction together with the version bump, so a database is always at exactly one version.
//
// Migrations are history: never edit one that has shipped. In particular the CHECK lists below are
// written out literally rather than built from MESSAGE_ROLES / MESSAGE_STATUSES, because a database
// keeps the constraint it was created with; adding a role needs a new migration that rebuilds the
// table, and a test fails when the domain lists and the database disagree.
import type Database from 'better-sqlite3'

/** Marks a file as ours in the SQLite header ("SuCo"), so we never migrate someone else's database. */
export const APPLICATION_ID = 0x5375436f

export interface Migration {
  version: number
  description: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'conversations and messages',
    // STRICT: a wrong type (a float duration, a string id) is an error now rather than odd data later.
    // AUTOINCREMENT: ids are never reused after a delete, so a link or an SSE client following
    // "conversation 7" can never land in a different conversation.
    sql: `
      PRAGMA application_id = ${APPLICATION_ID};

      CREATE TABLE conversations (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        title       TEXT NOT NULL,
        source      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;

      -- The conversation list: newest activity first, keyset-paged on (updated_at, id).
      CREATE INDEX conversations_by_activity ON conversations (updated_at, id);

      CREATE TABLE messages (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role             TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'assistant_draft', 'system_note')),
        text             TEXT NOT NULL DEFAULT '',
        status           TEXT NOT NULL
                         CHECK (status IN ('streaming', 'complete', 'stopped', 'error', 'blocked', 'interrupted')),
        source           TEXT NOT NULL,
        model            TEXT,
        prompt_tokens    INTEGER,
        output_tokens    INTEGER,
        total_tokens     INTEGER,
        first_token_ms   INTEGER,
        duration_ms      INTEGER,
        finish_reason    TEXT,
        error_kind       TEXT,
        error_message    TEXT,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      ) STRICT;

      -- Reading one conversation oldest-first, counting its messages, and the cascade on delete.
      CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

      -- Crash recovery at start-up looks only at streaming rows; a partial index keeps that instant
      -- however large the history grows, and costs nothing for finished rows.
      CREATE INDEX messages_streaming ON messages (id) WHERE status = 'streaming';
    `,
  },
  {
    version: 2,
    description: 'full-text search over message text',
    // External content: the text is stored once, in messages; FTS5 keeps only the index. The content
    // is a view of the rows that are not streaming, because a streaming draft's text is rewritten
    // several times a second and indexing every flush would be wasted work. Using the view (not the
    // table) as content keeps FTS5's own 'rebuild' and 'integrity-check' consistent with that rule.
    // The triggers follow a row in and out of the index as its text or status changes.
    sql: `
      CREATE VIEW messages_searchable AS
        SELECT id, text FROM messages WHERE status <> 'streaming';

      CREATE VIRTUAL TABLE messages_fts USING fts5 (
        text,
        content = 'messages_searchable',
        content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
      WHEN new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
      END;

      -- One trigger with both steps, so the old entry is always removed before the new one is added.
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, status ON messages
      WHEN old.status <> 'streaming' OR new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text)
          SELECT 'delete', old.id, old.text WHERE old.status <> 'streaming';
        INSERT INTO messages_fts (rowid, text)
          SELECT new.id, new.text WHERE new.status <> 'streaming';
      END;

      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
      WHEN old.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;

      -- Index the history a version-1 database already holds.
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
    `,
  },
  {
    version: 3,
    description: "messages.status accepts 'truncated'",
    // SQLite cannot change a CHECK in place: the table is rebuilt (SQLite's documented 12-step way, with
    // foreign keys off, which migrate() ensures). The search view and triggers name `messages`, and a rename
    // refuses to run while they point at a missing table, so they are dropped first and recreated as in
    // version 2. Ids are copied, so the FTS index (keyed by rowid) stays valid as it is. The AUTOINCREMENT
    // counter is carried over, so an id deleted before the upgrade is still never handed out again.
    sql: `
      DROP TRIGGER messages_fts_insert;
      DROP TRIGGER messages_fts_update;
      DROP TRIGGER messages_fts_delete;
      DROP VIEW messages_searchable;

      CREATE TABLE messages_v3 (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role             TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'assistant_draft', 'system_note')),
        text             TEXT NOT NULL DEFAULT '',
        status           TEXT NOT NULL
                         CHECK (status IN ('streaming', 'complete', 'stopped', 'error', 'blocked', 'interrupted', 'truncated')),
        source           TEXT NOT NULL,
        model            TEXT,
        prompt_tokens    INTEGER,
        output_tokens    INTEGER,
        total_tokens     INTEGER,
        first_token_ms   INTEGER,
        duration_ms      INTEGER,
        finish_reason    TEXT,
        error_kind       TEXT,
        error_message    TEXT,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      ) STRICT;

      INSERT INTO messages_v3 (id, conversation_id, role, text, status, source, model, prompt_tokens, output_tokens,
          total_tokens, first_token_ms, duration_ms, finish_reason, error_kind, error_message, created_at, updated_at)
        SELECT id, conversation_id, role, text, status, source, model, prompt_tokens, output_tokens,
          total_tokens, first_token_ms, duration_ms, finish_reason, error_kind, error_message, created_at, updated_at
        FROM messages;

      DELETE FROM sqlite_sequence WHERE name = 'messages_v3';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_v3', seq FROM sqlite_sequence WHERE name = 'messages';

      DROP TABLE messages;
      ALTER TABLE messages_v3 RENAME TO messages;

      CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
      CREATE INDEX messages_streaming ON messages (id) WHERE status = 'streaming';

      CREATE VIEW messages_searchable AS
        SELECT id, text FROM messages WHERE status <> 'streaming';

      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
      WHEN new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
      END;

      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, status ON messages
      WHEN old.status <> 'streaming' OR new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text)
          SELECT 'delete', old.id, old.text WHERE old.status <> 'streaming';
        INSERT INTO messages_fts (rowid, text)
          SELECT new.id, new.text WHERE new.status <> 'streaming';
      END;

      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
      WHEN old.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
    `,
  },
  {
    version: 4,
    description: 'the knowledge-base passages each draft cites (draft_sources)',
    // A copy of each cited passage, not only its id: the knowledge base is derived data that is rebuilt and
    // re-indexed, so a draft keeps showing what it was actually grounded in. `heading` is a JSON array of the
    // headings above the passage. Keyed by (message_id, n), which is also how a draft's sources are read.
    sql: `
      CREATE TABLE draft_sources (
        message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        n           INTEGER NOT NULL CHECK (n >= 1),
        passage_id  INTEGER NOT NULL,
        path        TEXT NOT NULL,
        title       TEXT NOT NULL,
        heading     TEXT NOT NULL DEFAULT '[]',
        text        TEXT NOT NULL,
        PRIMARY KEY (message_id, n)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    description: 'steering a draft: message kind and instruction, feedback on drafts, conversation summary, snippets',
    // Only new columns, so ALTER TABLE ADD COLUMN does it in place: no rebuild, ids, FTS index and the foreign keys
    // naming `messages` (draft_sources) untouched. Every existing message becomes a 'reply', which is what each one
    // was; the CHECKs on added columns are written out literally, as in every migration.
    // Snippets are searched in the process rather than with FTS5: a console keeps at most MAX_SNIPPETS of them,
    // the picker matches inside words as the agent types ("ref" finds "Refund"), which FTS5 tokens do not, and
    // Unicode case and accent folding is JavaScript's, not SQLite's ASCII-only LIKE. Shortcuts are unique whatever
    // their case, since `/Refund` and `/refund` are the same to someone typing; NULL (no shortcut) may repeat.
    sql: `
      ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply'
        CHECK (kind IN ('reply', 'rewrite', 'summary', 'offline'));
      ALTER TABLE messages ADD COLUMN instruction TEXT;
      ALTER TABLE messages ADD COLUMN feedback_rating TEXT CHECK (feedback_rating IN ('up', 'down'));
      ALTER TABLE messages ADD COLUMN feedback_reason TEXT;
      ALTER TABLE messages ADD COLUMN feedback_at TEXT;

      -- An offline draft made by a development build at version 4 was saved before kinds existed.
      UPDATE messages SET kind = 'offline' WHERE role = 'assistant_draft' AND model = 'knowledge-base (offline)';

      ALTER TABLE conversations ADD COLUMN summary TEXT;

      CREATE TABLE snippets (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        title       TEXT NOT NULL,
        body        TEXT NOT NULL,
        shortcut    TEXT COLLATE NOCASE UNIQUE,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    description: 'review: stable conversation uids, filter summaries, tags, saved filters, reply uses, CJK trigram search',
    // Filters must not scan messages (issue 9: under 50 ms on 1,000,000 of them), so each conversation keeps a
    // summary of its drafts, kept right by triggers whoever writes: a bit per draft outcome seen (complete 1,
    // stopped 2, error 4, blocked 8, interrupted 16, truncated 32), a bit per feedback given (up 1, down 2,
    // recomputed when a rating changes since ratings can be cleared), whether an agent reply exists, and the models
    // that drafted in it (conversation_models). Outcome bits are only ever added: a finished draft's status never
    // changes again and messages are deleted only with their conversation. Summaries are not counted (kind).
    // uid: the stable id exports carry and imports match on; a trigger gives any row inserted without one a
    // random UUID (v4), so no writer can forget it. CJK text: the unicode61 tokenizer makes a run of Chinese or
    // Japanese one token, so a second FTS5 index with the trigram tokenizer holds only messages with CJK
    // characters (a query with CJK characters can only match those), keeping its size to the text that needs it.
    sql: `
      ALTER TABLE conversations ADD COLUMN uid TEXT;
      ALTER TABLE conversations ADD COLUMN draft_outcomes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversations ADD COLUMN feedback_flags INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversations ADD COLUMN has_reply INTEGER NOT NULL DEFAULT 0;

      UPDATE conversations SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
        || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
      CREATE UNIQUE INDEX conversations_by_uid ON conversations (uid);

      CREATE TRIGGER conversations_uid AFTER INSERT ON conversations WHEN new.uid IS NULL
      BEGIN
        UPDATE conversations SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
          || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
        WHERE id = new.id;
      END;

      UPDATE conversations SET
        draft_outcomes = coalesce((SELECT sum(DISTINCT CASE m.status WHEN 'complete' THEN 1 WHEN 'stopped' THEN 2 WHEN 'error' THEN 4
            WHEN 'blocked' THEN 8 WHEN 'interrupted' THEN 16 WHEN 'truncated' THEN 32 ELSE 0 END)
          FROM messages m WHERE m.conversation_id = conversations.id AND m.role = 'assistant_draft' AND m.kind <> 'summary'), 0),
        feedback_flags = coalesce((SELECT max(m.feedback_rating = 'up') | (max(m.feedback_rating = 'down') << 1)
          FROM messages m WHERE m.conversation_id = conversations.id AND m.feedback_rating IS NOT NULL), 0),
        has_reply = EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.role = 'agent');

      CREATE TABLE conversation_models (
        conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        model            TEXT NOT NULL,
        PRIMARY KEY (conversation_id, model)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX conversation_models_by_model ON conversation_models (model, conversation_id);
      INSERT OR IGNORE INTO conversation_models (conversation_id, model)
        SELECT conversation_id, model FROM messages WHERE role = 'assistant_draft' AND model IS NOT NULL;

      CREATE TRIGGER messages_summary_insert AFTER INSERT ON messages
      BEGIN
        UPDATE conversations SET
          draft_outcomes = draft_outcomes | CASE WHEN new.role = 'assistant_draft' AND new.kind <> 'summary' THEN
            CASE new.status WHEN 'complete' THEN 1 WHEN 'stopped' THEN 2 WHEN 'error' THEN 4 WHEN 'blocked' THEN 8
              WHEN 'interrupted' THEN 16 WHEN 'truncated' THEN 32 ELSE 0 END ELSE 0 END,
          has_reply = has_reply | (new.role = 'agent'),
          feedback_flags = feedback_flags | CASE new.feedback_rating WHEN 'up' THEN 1 WHEN 'down' THEN 2 ELSE 0 END
        WHERE id = new.conversation_id
          AND (new.role = 'agent' OR (new.role = 'assistant_draft' AND (new.status <> 'streaming' OR new.feedback_rating IS NOT NULL)));
        INSERT OR IGNORE INTO conversation_models (conversation_id, model)
          SELECT new.conversation_id, new.model WHERE new.role = 'assistant_draft' AND new.model IS NOT NULL;
      END;

      CREATE TRIGGER messages_summary_status AFTER UPDATE OF status ON messages
      WHEN new.role = 'assistant_draft' AND new.kind <> 'summary' AND new.status <> old.status
      BEGIN
        UPDATE conversations SET draft_outcomes = draft_outcomes | CASE new.status WHEN 'complete' THEN 1 WHEN 'stopped' THEN 2
            WHEN 'error' THEN 4 WHEN 'blocked' THEN 8 WHEN 'interrupted' THEN 16 WHEN 'truncated' THEN 32 ELSE 0 END
        WHERE id = new.conversation_id;
      END;

      CREATE TRIGGER messages_summary_feedback AFTER UPDATE OF feedback_rating ON messages
      BEGIN
        UPDATE conversations SET feedback_flags = coalesce((SELECT max(m.feedback_rating = 'up') | (max(m.feedback_rating = 'down') << 1)
          FROM messages m WHERE m.conversation_id = new.conversation_id AND m.feedback_rating IS NOT NULL), 0)
        WHERE id = new.conversation_id;
      END;

      CREATE TABLE tags (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        color       TEXT NOT NULL CHECK (color IN ('gray', 'red', 'orange', 'amber', 'green', 'teal', 'blue', 'indigo', 'purple', 'pink')),
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE conversation_tags (
        tag_id           INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        PRIMARY KEY (tag_id, conversation_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX conversation_tags_by_conversation ON conversation_tags (conversation_id, tag_id);

      CREATE TABLE saved_filters (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        filter      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;

      -- Which draft an agent's reply came from and how much it was changed: computed once, when it was sent.
      CREATE TABLE reply_uses (
        agent_message_id  INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
        draft_id          INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        edit_distance     INTEGER NOT NULL CHECK (edit_distance >= 0),
        similarity        REAL NOT NULL CHECK (similarity >= 0 AND similarity <= 1)
      ) STRICT;
      CREATE INDEX reply_uses_by_draft ON reply_uses (draft_id);

      -- Drafts by day for statistics, without reading every message's text.
      CREATE INDEX messages_drafts_by_time ON messages (created_at) WHERE role = 'assistant_draft';

      -- The CJK characters (kana, CJK ideographs and extension A, compatibility ideographs, Hangul, half-width
      -- katakana), written out here as in every migration; fts-query.ts's CJK pattern is the same set.
      CREATE VIEW messages_cjk AS
        SELECT id, text FROM messages WHERE status <> 'streaming' AND text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ]*';

      CREATE VIRTUAL TABLE messages_trigram USING fts5 (
        text,
        content = 'messages_cjk',
        content_rowid = 'id',
        tokenize = 'trigram remove_diacritics 1'
      );

      CREATE TRIGGER messages_trigram_insert AFTER INSERT ON messages
      WHEN new.status <> 'streaming' AND new.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ]*'
      BEGIN
        INSERT INTO messages_trigram (rowid, text) VALUES (new.id, new.text);
      END;

      CREATE TRIGGER messages_trigram_update AFTER UPDATE OF text, status ON messages
      WHEN (old.status <> 'streaming' AND old.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ]*')
        OR (new.status <> 'streaming' AND new.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ]*')
      BEGIN
        INSERT INTO messages_trigram (messages_trigram, rowid, text)
          SELECT 'delete', old.id, old.text WHERE old.status <> 'streaming' AND old.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ]*';
        INSERT INTO messages_trigram (rowid, text)
          SELECT new.id, new.text WHERE new.status <> 'streaming' AND new.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ]*';
      END;

      CREATE TRIGGER messages_trigram_delete AFTER DELETE ON messages
      WHEN old.status <> 'streaming' AND old.text GLOB '*[ᄀ-ᇿ぀-ヿ㄰-㆏㐀-䶿一-鿿가-힯豈-﫿ｦ-ﾟ]*'
      BEGIN
        INSERT INTO messages_trigram (messages_trigram, rowid, text) VALUES ('delete', old.id, old.text);
      END;

      INSERT INTO messages_trigram (messages_trigram) VALUES ('rebuild');

      -- The words of the index, so a search can expand its last word, a prefix, into the few words it starts.
      CREATE VIRTUAL TABLE messages_fts_vocab USING fts5vocab (messages_fts, 'row');
    `,
  },
]

export const LATEST_VERSION = MIGRATIONS.reduce((latest, m) => Math.max(latest, m.version), 0)

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Applies every migration above the database's version, up to `target`, each in one transaction.
 * Throws the migration's error with the database left at the last version that succeeded.
 */
export function migrate(db: Database.Database, target: number = LATEST_VERSION): void {
  // A future migration that rebuilds a table (SQLite's way to change a column or a CHECK) would have
  // its cascades fire with foreign keys on, and the setting cannot change inside a transaction. So
  // migrations run with them off and check the whole database before each commit instead.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
  db.pragma('foreign_keys = OFF')
  try {
    for (const migration of MIGRATIONS) {
      if (migration.version <= schemaVersion(db) || migration.version > target) continue
      db.transaction(() => {
        db.exec(migration.sql)
        const violations = db.pragma('foreign_key_check') as unknown[]
        if (violations.length > 0) {
          throw new Error(`migration ${migration.version} left ${violations.length} broken references`)
        }
        // PRAGMA takes no bound parameters; the version is a number from the list above.
        db.pragma(`user_version = ${migration.version}`)
      })()
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
  }
}
