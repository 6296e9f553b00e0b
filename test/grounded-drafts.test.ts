// Grounded drafts, end to end on the real core: the knowledge-base passages retrieved for a conversation go to
// Gemini (the emulator records the request) numbered [1]..[n] with the instruction to answer from them and cite
// them, within the passage limit and the token budget; the sources are saved with the draft (table draft_sources,
// migration 4), returned by getConversation and the JSON API, and streamed as a named `sources` event before the
// first text. Without a knowledge base or a match, no sources, and the instruction still forbids inventing policy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConversationEvent } from '../src/shared/api'
import type { ConversationDetail } from '../src/shared/domain'
import type { DraftSource } from '../src/shared/knowledge'
import { estimatePromptTokens, formatSource } from '../src/main/core/drafting/grounding'
import { migrate } from '../src/main/core/store/migrations'
import { TranscriptStore } from '../src/main/core/store/transcript-store'
import type { RecordedRequest } from './emulator/gemini-emulator'
import { harnessPerTest, type Harness, type HarnessOptions } from './helpers/core-harness'
import { isDone, openSse, replyText } from './helpers/sse-client'
import { waitFor } from './helpers/wait-for'

const start = harnessPerTest()
const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

const REFUNDS = `# Refunds and returns

## Returning an item

You can return any item within 30 days of delivery for a full refund. The item must be unused and in its original packaging.

## Damaged items

If an item arrived damaged, send us a photo within 14 days and we refund it in full without asking for it back.

## How long refunds take

Refunds are paid to the original payment method within 5 to 7 business days after we receive the return.
`

const DELIVERY = `# Delivery

## Delivery times

Standard delivery takes 3 to 5 working days. Express delivery arrives the next working day when ordered before 2 pm.

## Tracking a parcel

Every parcel gets a tracking link by email as soon as it leaves the warehouse.
`

const WARRANTY = `# Warranty

## Kettles and toasters

Small kitchen appliances carry a two-year warranty covering defects in materials and workmanship, but not limescale build-up.
`

/** A knowledge-base folder with three documents, one in a subfolder. */
function knowledgeFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-grounded-kb-'))
  folders.push(dir)
  writeFileSync(join(dir, 'refunds.md'), REFUNDS)
  writeFileSync(join(dir, 'delivery.md'), DELIVERY)
  mkdirSync(join(dir, 'products'))
  writeFileSync(join(dir, 'products', 'warranty.md'), WARRANTY)
  return dir
}

async function withKnowledge(options: HarnessOptions = {}): Promise<{ h: Harness; dir: string }> {
  const dir = knowledgeFolder()
  const h = await start({ ...options, env: { SUPPORT_CONSOLE_KB_DIR: dir, ...options.env } })
  await h.core.knowledge.idle()
  return { h, dir }
}

/** The system instruction of a recorded generateContent request. */
function systemInstructionOf(request: RecordedRequest | undefined): string {
  const body = request?.body as { systemInstruction?: { parts?: Array<{ text?: string }> } } | undefined
  return (body?.systemInstruction?.parts ?? []).map((part) => part.text ?? '').join('')
}

/** The `<passage n=…>` blocks of a prompt, as written. */
const passagesIn = (prompt: string): string[] => prompt.match(/<passage n="\d+"[^>]*>[\s\S]*?<\/passage>/g) ?? []

async function draftAndWait(h: Harness, conversationId: number): Promise<ConversationEvent[]> {
  const events: ConversationEvent[] = []
  const dispose = h.core.api.onConversationEvents(conversationId, (event) => events.push(event))
  const { messageId } = await h.core.api.startDraft(conversationId)
  await waitFor(() => events.some((e) => e.messageId === messageId && e.event.type === 'end'), 'the draft to end')
  dispose()
  return events.filter((e) => e.messageId === messageId)
}

async function conversationWith(h: Harness, ...customerMessages: string[]): Promise<number> {
  const { id } = await h.core.api.createConversation({ title: 'Grounded' })
  for (const text of customerMessages) await h.core.api.addCustomerMessage(id, text)
  return id
}

describe('a grounded draft', () => {
  it('sends Gemini the numbered passages after the persona with the instruction to answer from them and cite them', async () => {
    const { h } = await withKnowledge()
    h.emulator.enqueue({ chunks: ['You can return it within 30 days [1].'] })
    const id = await conversationWith(h, 'The blender I bought arrived damaged, can I get my money back?')
    await draftAndWait(h, id)

    const prompt = systemInstructionOf(h.emulator.requests.at(-1))
    // The persona first, unchanged; the grounding block after it.
    expect(prompt.startsWith(h.core.settings.systemInstruction)).toBe(true)
    expect(prompt).toMatch(/## Knowledge base/)
    expect(prompt).toMatch(/Answer from them/)
    expect(prompt).toMatch(/cite it by its number in square brackets/)
    expect(prompt).toMatch(/do not cover what the customer asks, say so plainly/)
    expect(prompt).toMatch(/Never invent a policy/)
    const passages = passagesIn(prompt)
    expect(passages.length).toBeGreaterThan(0)
    passages.forEach((passage, i) => expect(passage).toContain(`<passage n="${i + 1}"`))
    expect(passages[0]).toContain('source="refunds.md"')
    expect(passages[0]).toMatch(/Damaged items/)
    // The transcript's turns are what they were: the passages are not in them.
    const body = h.emulator.requests.at(-1)?.body as { contents: Array<{ role: string; parts: Array<{ text: string }> }> }
    expect(JSON.stringify(body.contents)).not.toContain('<passage')
  })

  it('keeps to the passage limit and the token budget set in Settings', async () => {
    const { h } = await withKnowledge()
    await h.core.api.updateSettings({ kbPassages: 2, kbTokenBudget: 200 })
    const id = await conversationWith(h, 'How long does a refund for a damaged or returned item take, and when is delivery?')
    await draftAndWait(h, id)
    const passages = passagesIn(systemInstructionOf(h.emulator.requests.at(-1)))
    expect(passages.length).toBeGreaterThan(0)
    expect(passages.length).toBeLessThanOrEqual(2)
    expect(passages.reduce((tokens, passage) => tokens + estimatePromptTokens(passage), 0)).toBeLessThanOrEqual(200)

    // A larger limit and budget let more passages in.
    await h.core.api.updateSettings({ kbPassages: 20, kbTokenBudget: 20_000 })
    const id2 = await conversationWith(h, 'How long does a refund for a damaged or returned item take, and when is delivery?')
    await draftAndWait(h, id2)
    const all = passagesIn(systemInstructionOf(h.emulator.requests.at(-1)))
    expect(all.length).toBeGreaterThan(2)
    expect(all.length).toBeLessThanOrEqual(20)
  })

  it('weighs the customer’s latest message most', async () => {
    const { h } = await withKnowledge()
    const id = await conversationWith(h, 'When will my parcel be delivered? I need tracking.')
    await h.core.api.useReply(id, 'It left the warehouse yesterday.')
    await h.core.api.addCustomerMessage(id, 'It came damaged. I want a refund.')
    await draftAndWait(h, id)
    const detail = await h.core.api.getConversation(id)
    const draft = detail.messages.at(-1)
    expect(draft?.sources[0]?.path).toBe('refunds.md')
  })

  it('saves the sources with the draft and returns them from getConversation and GET /api/conversations/{id}', async () => {
    const { h } = await withKnowledge()
    const id = await conversationWith(h, 'My blender arrived damaged. Refund?')
    const events = await draftAndWait(h, id)
    const streamed = events.find((e) => e.event.type === 'sources')?.event as { sources: DraftSource[] } | undefined
    expect(streamed?.sources.length).toBeGreaterThan(0)

    const draft = (await h.core.api.getConversation(id)).messages.at(-1)
    expect(draft).toMatchObject({ role: 'assistant_draft', status: 'complete' })
    expect(draft?.sources).toEqual(streamed?.sources)
    expect(draft?.sources.map((s) => s.n)).toEqual(draft?.sources.map((_, i) => i + 1))
    expect(draft?.sources[0]).toMatchObject({ path: 'refunds.md', title: 'Refunds and returns', heading: ['Refunds and returns', 'Damaged items'] })
    expect(draft?.sources[0]?.text).toMatch(/send us a photo/)
    // What Gemini was sent is exactly what was saved.
    const prompt = systemInstructionOf(h.emulator.requests.at(-1))
    expect(passagesIn(prompt)).toEqual(draft?.sources.map(formatSource))
    // People's messages have none.
    expect((await h.core.api.getConversation(id)).messages[0]?.sources).toEqual([])

    const json = (await (await fetch(h.authed(`/api/conversations/${id}`))).json()) as ConversationDetail
    expect(json.messages.at(-1)?.sources).toEqual(draft?.sources)

    // Saved, not kept in memory: a restarted core returns them too.
    await h.restart()
    expect((await h.core.api.getConversation(id)).messages.at(-1)?.sources).toEqual(draft?.sources)
  })

  it('streams the sources right after meta and before the first text; the JSON follower format carries them', async () => {
    const { h } = await withKnowledge()
    h.emulator.enqueue({ chunks: ['Yes', ', we refund it [1].'], delayMs: 10 })
    const id = await conversationWith(h, 'The toaster arrived damaged, do you refund it?')
    const events = await draftAndWait(h, id)
    expect(events.map((e) => e.event.type)).toEqual(['meta', 'sources', 'delta', 'delta', 'usage', 'end'])

    h.emulator.enqueue({ chunks: ['Again [1].'] })
    const follower = await openSse(h.authed(`/conversations/${id}/events?format=json`))
    const { messageId } = await h.core.api.startDraft(id)
    const frames = await follower.readUntil((e) => e.data.includes('"type":"end"') && e.data.includes(`"messageId":${messageId}`))
    follower.close()
    const types = frames
      .map((f) => JSON.parse(f.data) as ConversationEvent)
      .filter((e) => e.messageId === messageId)
      .map((e) => e.event.type)
    expect(types.slice(0, 3)).toEqual(['meta', 'sources', 'delta'])
  })
})

describe('/chat/stream', () => {
  it('sends a named `sources` event before the first text; plain onmessage data stays the reply text and [DONE]', async () => {
    const { h } = await withKnowledge()
    h.emulator.enqueue({ chunks: ['Refunds take ', '5 to 7 business days [1].'], delayMs: 10 })
    const stream = await openSse(h.authed(`/chat/stream?message=${encodeURIComponent('How long does my refund take?')}`))
    const events = await stream.readUntil(isDone)
    const names = events.map((e) => e.event)
    expect(names.indexOf('sources')).toBe(names.indexOf('meta') + 1)
    expect(names.indexOf('sources')).toBeLessThan(names.indexOf('message'))
    const { messageId, sources } = JSON.parse(events.find((e) => e.event === 'sources')?.data ?? '{}') as {
      messageId: number
      sources: DraftSource[]
    }
    expect(sources[0]).toMatchObject({ n: 1, path: 'refunds.md' })
    // What an EventSource's onmessage sees: unnamed events only, which are the reply's text and then [DONE].
    const unnamed = events.filter((e) => e.event === 'message').map((e) => e.data)
    expect(unnamed.at(-1)).toBe('[DONE]')
    expect(unnamed.slice(0, -1).join('')).toBe('Refunds take 5 to 7 business days [1].')
    expect(replyText(events)).toBe('Refunds take 5 to 7 business days [1].')

    // Integrations' drafts are grounded and saved with their sources like the console's.
    expect(systemInstructionOf(h.emulator.requests.at(-1))).toMatch(/<passage n="1" source="refunds.md"/)
    const saved = h.core.store.getMessage(messageId)
    expect(saved?.sources).toEqual(sources)
  })
})

describe('without grounding', () => {
  it('sends no passages and still forbids inventing policy when no knowledge base is set', async () => {
    const h = await start()
    const id = await conversationWith(h, 'Can I get my money back?')
    const events = await draftAndWait(h, id)
    expect(events.map((e) => e.event.type)).not.toContain('sources')
    const prompt = systemInstructionOf(h.emulator.requests.at(-1))
    expect(passagesIn(prompt)).toEqual([])
    expect(prompt).toMatch(/No passage from the team’s knowledge base matches/)
    expect(prompt).toMatch(/Never invent a policy/)
    expect((await h.core.api.getConversation(id)).messages.at(-1)?.sources).toEqual([])
  })

  it('sends no passages when nothing in the knowledge base matches', async () => {
    const { h } = await withKnowledge()
    const id = await conversationWith(h, 'Quelle est la couleur du ciel?')
    const events = await draftAndWait(h, id)
    expect(events.map((e) => e.event.type)).not.toContain('sources')
    const prompt = systemInstructionOf(h.emulator.requests.at(-1))
    expect(passagesIn(prompt)).toEqual([])
    expect(prompt).toMatch(/Never invent a policy/)
  })
})

describe('draft_sources (migration 4)', () => {
  it('upgrades a version-3 database with a backup, and deletes a draft’s sources with it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-sources-migration-'))
    folders.push(dir)
    const file = join(dir, 'transcripts.db')
    const db = new Database(file)
    migrate(db, 3)
    const at = '2025-01-10T09:00:00.000Z'
    db.prepare('INSERT INTO conversations (id, title, source, created_at, updated_at) VALUES (1, ?, ?, ?, ?)').run('Kettle', 'app', at, at)
    db.prepare(
      "INSERT INTO messages (id, conversation_id, role, text, status, source, model, created_at, updated_at) VALUES (5, 1, 'assistant_draft', 'Old draft', 'complete', 'app', 'g', ?, ?)",
    ).run(at, at)
    db.close()

    const store = TranscriptStore.open(file)
    try {
      expect(store.backupFile).toMatch(/\.backup-v3-/)
      expect(store.getMessage(5)).toMatchObject({ text: 'Old draft', sources: [] })
      const source: DraftSource = { n: 1, passageId: 9, path: 'a/b.md', title: 'B', heading: ['B', 'C'], text: 'Passage text' }
      const draft = store.startDraft({ conversationId: 1, source: 'app', model: 'g', sources: [source] })
      expect(draft.sources).toEqual([source])
      expect(store.getMessage(draft.id)?.sources).toEqual([source])
      expect(() => store.startDraft({ conversationId: 1, source: 'app', model: 'g', sources: [source, source] })).toThrow(/given twice/)
      store.deleteConversation(1)
    } finally {
      store.close()
    }
    const after = new Database(file, { readonly: true })
    try {
      expect(after.prepare('SELECT count(*) AS n FROM draft_sources').get()).toEqual({ n: 0 })
      expect(after.pragma('foreign_key_check')).toEqual([])
    } finally {
      after.close()
    }
  })
})
