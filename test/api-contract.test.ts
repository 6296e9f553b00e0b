// The API's declarations (src/shared/api-contract.ts) against both transports, method by method: every declared
// method has its IPC channel, main's handler, a preload method (also after bridgeSafe), a REST route and an HTTP
// client method; each works over IPC (preload → fake Electron IPC → main's handlers) and over HTTP (createHttpApi →
// the real local server), answers its declared status and gives the same result as the core's own API; and each
// refuses bad arguments with invalid-input on both, before the core acts. The tables below are keyed by method,
// so a new declaration without a sample fails to compile, and the loops run over the declarations, so nothing is
// skipped at run time either.
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { OFFLINE_DRAFT_MODEL } from '../src/shared/knowledge'
import { MAX_SEARCH_CHARS } from '../src/shared/limits'
import { API_ERROR_CODES, ApiError, type SupportConsoleApi } from '../src/shared/api'
import { API, API_METHODS, apiErrorCodeOf, HTTP_STATUS_OF, type ApiArgs, type ApiMethod, type ApiResult } from '../src/shared/api-contract'
import { INVOKE_CHANNELS, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL } from '../src/shared/ipc'
import { APP_ENTRY_URL, APP_ORIGIN } from '../src/main/app-protocol'
import type { SupportConsoleCore } from '../src/main/core/support-console'
import { createIpcHandlers, registerIpcHandlers, type IpcHandlers } from '../src/main/ipc-handlers'
import { createSenderCheck } from '../src/main/trusted-sender'
import { bridgeSafe, createPreloadApi } from '../src/preload/preload-api'
import { createHttpApi } from '../src/renderer/src/api/http-api'
import { harnessPerTest, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { FakeIpc } from './helpers/fake-ipc'
import { waitFor } from './helpers/wait-for'
import { refusal } from './helpers/api-refusal'

const start = harnessPerTest()
const disposers: (() => void)[] = []
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose()
  vi.restoreAllMocks()
})

type Transport = 'ipc' | 'http'

/** The API as the console gets it over one transport, against one running core. */
function clientOver(transport: Transport, h: Harness): { api: SupportConsoleApi; ipc?: FakeIpc } {
  if (transport === 'http') return { api: createHttpApi({ baseUrl: h.url, token: TEST_TOKEN }) }
  const ipc = new FakeIpc()
  const windows = new Set<number>()
  const handlers: IpcHandlers = createIpcHandlers(h.core.api, {
    isTrustedSender: createSenderCheck({ origins: [APP_ORIGIN], isAppContents: (id) => windows.has(id) }),
    logError: () => {},
  })
  disposers.push(registerIpcHandlers(ipc.ipcMain, handlers), () => handlers.dispose())
  const window = ipc.openWindow({ url: APP_ENTRY_URL })
  windows.add(window.id)
  return { api: bridgeSafeRejectingApiErrors(createPreloadApi(window.renderer)), ipc }
}

/** bridgeSafe as the page sees it, with its plain-object rejections turned back into ApiErrors (as the renderer does). */
function bridgeSafeRejectingApiErrors(api: SupportConsoleApi): SupportConsoleApi {
  const bridged = bridgeSafe(api)
  const methods = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      (...args: unknown[]) =>
        (bridged[method] as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: { code: ApiError['code']; message: string }) => {
          throw new ApiError(error.code, error.message)
        }),
    ]),
  )
  return { ...bridged, ...methods } as SupportConsoleApi
}

/** What the samples work on: a conversation with a customer message, one to delete, and an integration key to revoke. */
interface World {
  id: number
  spare: number
  keyId: string
  /** A knowledge-base folder with one document, indexed, and one of its passages. */
  kbDir: string
  passageId: number
  /** The files the core asked the desktop app to open. */
  opened: string[]
  /** A saved draft to give feedback on, and a snippet to change and delete. */
  draftId: number
  snippetId: number
  /** Review (issue 9): a tag to change and one to delete, a saved filter to delete; set as the samples run. */
  tagId: number
  spareTagId: number
  savedFilterId: number
  exportJobId: string
  backupId: string
}

/** The desktop app's save dialog for exports, answering a file in a temporary folder. */
const exportDir = mkdtempSync(join(tmpdir(), 'sc-contract-export-'))
const chooseExportFile = async (name: string): Promise<string> => join(exportDir, name)

/** A JSON export of one conversation, for importConversations. */
const IMPORTED = JSON.stringify({
  format: 'support-console-export',
  version: 1,
  exportedAt: '2026-01-02T03:04:05.000Z',
  conversations: [
    {
      uid: '0b9f4a52-2c1e-4f7a-9d3e-5a6b7c8d9e0f',
      id: 7,
      title: 'Imported',
      source: 'app',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:01:00.000Z',
      summary: null,
      tags: [{ name: 'imported', color: 'teal' }],
      messages: [],
    },
  ],
})

/** The desktop app's openFile, recording what it was asked to open (the harness passes it to the core). */
const openedFiles: string[] = []
const openFile = async (path: string): Promise<void> => void openedFiles.push(path)

async function world(core: SupportConsoleCore): Promise<World> {
  const { id } = await core.api.createConversation({ title: 'Contract' })
  await core.api.addCustomerMessage(id, 'Where is my parcel?')
  const spare = (await core.api.createConversation({ title: 'To delete' })).id
  const keyId = (await core.api.createIntegrationKey({ name: 'To revoke', scopes: ['read'] })).key.id
  const kbDir = mkdtempSync(join(tmpdir(), 'sc-contract-kb-'))
  writeFileSync(
    join(kbDir, 'delivery.md'),
    '# Delivery\n\n## Delivery times\n\nA parcel arrives within 3 to 5 working days of dispatch. Tracking is sent by email once the parcel leaves our warehouse.\n',
  )
  await core.api.updateSettings({ knowledgeBaseDir: kbDir })
  await core.knowledge.idle()
  const [found] = await core.api.searchKnowledgeBase('parcel delivery')
  if (!found) throw new Error('the contract test’s knowledge base has no passage about parcels')
  openedFiles.length = 0
  const draftId = core.store.addMessage({ conversationId: id, role: 'assistant_draft', text: 'Your parcel left today.', source: 'app' }).id
  const snippetId = (await core.api.createSnippet({ title: 'Delivery times', body: 'Parcels arrive in 3 to 5 working days.', shortcut: 'eta' })).id
  const tagId = (await core.api.createTag({ name: 'Contract', color: 'blue' })).id
  const spareTagId = (await core.api.createTag({ name: 'To delete' })).id
  const savedFilterId = (await core.api.saveFilter({ name: 'To delete', filter: { status: ['error'] } })).id
  return {
    id,
    spare,
    keyId,
    kbDir,
    passageId: found.passageId,
    opened: openedFiles,
    draftId,
    snippetId,
    tagId,
    spareTagId,
    savedFilterId,
    exportJobId: '',
    backupId: '',
  }
}

/** Arguments that work, per method, in declaration order (startDraft comes before stopDraft). */
const samples: { [M in ApiMethod]: (w: World) => ApiArgs<M> } = {
  listConversations: () => [{ limit: 5 }],
  getConversation: (w) => [w.id],
  createConversation: () => [{ title: 'From the contract test' }],
  renameConversation: (w) => [w.id, 'Renamed'],
  deleteConversation: (w) => [w.spare],
  addCustomerMessage: (w) => [w.id, 'And when will it come?'],
  useReply: (w) => [w.id, 'Tomorrow.'],
  startDraft: (w) => [w.id],
  stopDraft: (w) => [w.id],
  exportConversation: (w) => [w.id, 'json'],
  getSettings: () => [],
  updateSettings: () => [{ systemInstruction: 'Be brief.' }],
  listIntegrationKeys: () => [],
  createIntegrationKey: () => [{ name: 'Contract helpdesk', scopes: ['read', 'stream'] }],
  revokeIntegrationKey: (w) => [w.keyId],
  getKnowledgeBase: () => [],
  searchKnowledgeBase: () => ['How long does delivery of a parcel take?'],
  getPassage: (w) => [w.passageId],
  addKnowledgeBaseDocuments: () => [[{ name: 'added.md', contentBase64: Buffer.from('# Added\n\nGift wrapping is free.').toString('base64') }]],
  openKnowledgeBaseDocument: () => ['delivery.md'],
  draftFromKnowledgeBase: (w) => [w.id],
  rewriteDraft: (w) => [w.id, { text: 'ur parcel is late sorry', instruction: { kind: 'grammar' } }],
  summarizeConversation: (w) => [w.id],
  listSnippets: () => [{ q: 'deliv' }],
  createSnippet: () => [{ title: 'Refunds', body: 'Refunds reach your account within 5 days.', shortcut: 'refund' }],
  exportSnippets: () => [],
  importSnippets: () => [
    JSON.stringify({
      version: 1,
      snippets: [
        { title: 'Delivery times', body: 'Parcels arrive in 3 to 5 working days.', shortcut: 'eta' },
        { title: 'Greeting', body: 'Hello {customer_name},', shortcut: null },
      ],
    }),
  ],
  updateSnippet: (w) => [w.snippetId, { body: 'Parcels arrive in 2 to 4 working days.' }],
  deleteSnippet: (w) => [w.snippetId],
  setDraftFeedback: (w) => [w.draftId, { rating: 'down', reason: 'Too vague' }],
  getConversationReview: (w) => [w.id],
  listTags: () => [],
  createTag: () => [{ name: 'Escalated', color: 'red' }],
  updateTag: (w) => [w.tagId, { name: 'Contract review', color: 'green' }],
  deleteTag: (w) => [w.spareTagId],
  tagConversations: (w) => [w.tagId, [w.id]],
  untagConversations: (w) => [w.tagId, [w.id]],
  listSavedFilters: () => [],
  saveFilter: () => [{ name: 'Stopped drafts', filter: { status: ['stopped'], usedReply: false } }],
  deleteSavedFilter: (w) => [w.savedFilterId],
  getStats: () => [{ status: ['complete', 'stopped'] }],
  startExport: () => [{ format: 'csv', filter: {} }],
  getExportJob: (w) => [w.exportJobId],
  cancelExportJob: (w) => [w.exportJobId],
  importConversations: () => [IMPORTED],
  listBackups: () => [],
  createBackup: () => [],
  updateBackupSchedule: () => [{ keep: 3 }],
  checkBackup: (w) => [w.backupId],
  restoreBackup: (w) => [w.backupId],
}

/** How a result is checked against the core itself, right after the call. */
const verify: { [M in ApiMethod]: (result: ApiResult<M>, w: World, core: SupportConsoleCore) => Promise<void> } = {
  listConversations: async (result, _w, core) => expect(result).toEqual(await core.api.listConversations({ limit: 5 })),
  getConversation: async (result, w, core) => expect(result).toEqual(await core.api.getConversation(w.id)),
  createConversation: async (result, _w, core) => {
    expect(result).toMatchObject({ title: 'From the contract test', source: 'app' })
    expect(result).toEqual((await core.api.getConversation(result.id)).conversation)
  },
  renameConversation: async (result, w, core) => {
    expect(result.title).toBe('Renamed')
    expect(result).toEqual((await core.api.getConversation(w.id)).conversation)
  },
  deleteConversation: async (result, w, core) => {
    expect(result).toBeUndefined()
    await expect(core.api.getConversation(w.spare)).rejects.toMatchObject({ code: 'not-found' })
  },
  addCustomerMessage: async (result, w, core) => {
    expect(result).toMatchObject({ role: 'customer', text: 'And when will it come?' })
    expect((await core.api.getConversation(w.id)).messages).toContainEqual(result)
  },
  useReply: async (result, w, core) => {
    expect(result).toMatchObject({ role: 'agent', text: 'Tomorrow.' })
    expect((await core.api.getConversation(w.id)).messages).toContainEqual(result)
  },
  startDraft: async (result, w, core) => {
    expect((await core.api.getConversation(w.id)).messages.map((m) => m.id)).toContain(result.messageId)
  },
  stopDraft: async (result, w, core) => {
    expect(result).toBeUndefined()
    expect(core.hub.liveIn(w.id)).toBeUndefined()
  },
  exportConversation: async (result, w, core) => expect(result).toEqual(await core.api.exportConversation(w.id, 'json')),
  getSettings: async (result, _w, core) => expect(result).toEqual(await core.api.getSettings()),
  updateSettings: async (result, _w, core) => {
    expect(result.systemInstruction).toBe('Be brief.')
    expect(result).toEqual(await core.api.getSettings())
  },
  listIntegrationKeys: async (result, _w, core) => {
    expect(result.map((key) => key.name)).toContain('To revoke')
    expect(result).toEqual(await core.api.listIntegrationKeys())
  },
  createIntegrationKey: async (result, _w, core) => {
    expect(result.key).toMatchObject({ name: 'Contract helpdesk', scopes: ['stream', 'read'], lastUsedAt: null })
    expect(result.secret).toMatch(/^sck_/)
    const listed = await core.api.listIntegrationKeys()
    expect(listed).toContainEqual(result.key)
    expect(JSON.stringify(listed)).not.toContain(result.secret)
  },
  revokeIntegrationKey: async (result, w, core) => {
    expect(result).toBeUndefined()
    expect((await core.api.listIntegrationKeys()).map((key) => key.id)).not.toContain(w.keyId)
  },
  getKnowledgeBase: async (result, w, core) => {
    expect(result).toMatchObject({ dir: w.kbDir, state: 'ready', error: null })
    expect(result.documents.map((d) => d.path)).toContain('delivery.md')
    expect(result).toEqual(await core.api.getKnowledgeBase())
  },
  searchKnowledgeBase: async (result, _w, core) => {
    expect(result[0]).toMatchObject({ path: 'delivery.md' })
    expect(result).toEqual(await core.api.searchKnowledgeBase('How long does delivery of a parcel take?'))
  },
  getPassage: async (result, w, core) => {
    expect(result.passage).toMatchObject({ passageId: w.passageId, path: 'delivery.md' })
    expect(result).toEqual(await core.api.getPassage(w.passageId))
  },
  addKnowledgeBaseDocuments: async (result, w) => {
    expect(result).toEqual({ added: ['added.md'], refused: [] })
    expect(readFileSync(join(w.kbDir, 'added.md'), 'utf8')).toBe('# Added\n\nGift wrapping is free.')
  },
  openKnowledgeBaseDocument: async (result, w) => {
    expect(result).toBeUndefined()
    expect(w.opened.at(-1)).toBe(realpathSync(join(w.kbDir, 'delivery.md')))
  },
  draftFromKnowledgeBase: async (result, w, core) => {
    expect(result).toMatchObject({ role: 'assistant_draft', status: 'complete', model: OFFLINE_DRAFT_MODEL })
    expect(result.sources[0]).toMatchObject({ n: 1, path: 'delivery.md' })
    expect((await core.api.getConversation(w.id)).messages).toContainEqual(result)
  },
  rewriteDraft: async (result, w, core) => {
    // Ended before the next sample, which needs the conversation free of live drafts.
    await waitFor(() => core.store.getMessage(result.messageId)?.status === 'complete', 'the rewrite to complete')
    const message = (await core.api.getConversation(w.id)).messages.find((m) => m.id === result.messageId)
    expect(message).toMatchObject({ role: 'assistant_draft', kind: 'rewrite', instruction: expect.stringMatching(/grammar/) })
  },
  summarizeConversation: async (result, w, core) => {
    await waitFor(() => core.store.getMessage(result.messageId)?.status === 'complete', 'the summary to complete')
    const { conversation, messages } = await core.api.getConversation(w.id)
    expect(messages.find((m) => m.id === result.messageId)?.kind).toBe('summary')
    expect(conversation.summary).toBe(core.store.getMessage(result.messageId)?.text)
  },
  listSnippets: async (result, _w, core) => {
    expect(result.map((s) => s.title)).toEqual(['Delivery times'])
    expect(result).toEqual(await core.api.listSnippets({ q: 'deliv' }))
  },
  createSnippet: async (result, _w, core) => {
    expect(result).toMatchObject({ title: 'Refunds', shortcut: 'refund' })
    expect(await core.api.listSnippets({})).toContainEqual(result)
  },
  exportSnippets: async (result, _w, core) => {
    expect(result.filename).toMatch(/\.json$/)
    const file = JSON.parse(result.content) as { version: number; snippets: { title: string }[] }
    expect(file.version).toBe(1)
    expect(file.snippets.map((s) => s.title)).toEqual((await core.api.listSnippets({})).map((s) => s.title))
  },
  importSnippets: async (result, _w, core) => {
    expect(result).toEqual({ added: 1, skipped: 1 })
    expect((await core.api.listSnippets({})).map((s) => s.title)).toContain('Greeting')
  },
  updateSnippet: async (result, w, core) => {
    expect(result).toMatchObject({ id: w.snippetId, title: 'Delivery times', body: 'Parcels arrive in 2 to 4 working days.', shortcut: 'eta' })
    expect(await core.api.listSnippets({})).toContainEqual(result)
  },
  deleteSnippet: async (result, w, core) => {
    expect(result).toBeUndefined()
    expect((await core.api.listSnippets({})).map((s) => s.id)).not.toContain(w.snippetId)
  },
  setDraftFeedback: async (result, w, core) => {
    expect(result.feedback).toMatchObject({ rating: 'down', reason: 'Too vague' })
    expect((await core.api.getConversation(w.id)).messages).toContainEqual(result)
  },
  getConversationReview: async (result, w, core) => {
    expect(result.conversation.id).toBe(w.id)
    expect(result).toEqual(await core.api.getConversationReview(w.id))
  },
  listTags: async (result, _w, core) => {
    expect(result.map((t) => t.name)).toEqual(['Contract', 'To delete'])
    expect(result).toEqual(await core.api.listTags())
  },
  createTag: async (result, _w, core) => {
    expect(result).toMatchObject({ name: 'Escalated', color: 'red', conversationCount: 0 })
    expect(await core.api.listTags()).toContainEqual(result)
  },
  updateTag: async (result, w) => expect(result).toMatchObject({ id: w.tagId, name: 'Contract review', color: 'green' }),
  deleteTag: async (result, w, core) => {
    expect(result).toBeUndefined()
    expect((await core.api.listTags()).map((t) => t.id)).not.toContain(w.spareTagId)
  },
  tagConversations: async (result, w, core) => {
    expect(result).toEqual({ tagId: w.tagId, changed: 1 })
    expect((await core.api.listConversations({ tag: [w.tagId] })).conversations.map((c) => c.id)).toEqual([w.id])
  },
  untagConversations: async (result, w, core) => {
    expect(result).toEqual({ tagId: w.tagId, changed: 1 })
    expect((await core.api.listConversations({ tag: [w.tagId] })).conversations).toEqual([])
  },
  listSavedFilters: async (result) => expect(result.map((f) => f.name)).toEqual(['To delete']),
  saveFilter: async (result, _w, core) => {
    expect(result).toMatchObject({ name: 'Stopped drafts', filter: { status: ['stopped'], usedReply: false } })
    expect(await core.api.listSavedFilters()).toContainEqual(result)
  },
  deleteSavedFilter: async (result, w, core) => {
    expect(result).toBeUndefined()
    expect((await core.api.listSavedFilters()).map((f) => f.id)).not.toContain(w.savedFilterId)
  },
  getStats: async (result, _w, core) => {
    expect(result.drafts).toBeGreaterThan(0)
    expect(result).toEqual(await core.api.getStats({ status: ['complete', 'stopped'] }))
  },
  startExport: async (result, w) => {
    expect(result).toMatchObject({ format: 'csv', state: 'running', file: expect.stringMatching(/\.csv$/) })
    w.exportJobId = (result as { id: string }).id
  },
  getExportJob: async (result, w, core) => {
    await waitFor(async () => (await core.api.getExportJob(w.exportJobId)).state === 'done', 'the export to finish')
    expect(result.id).toBe(w.exportJobId)
  },
  cancelExportJob: async (result, w) => {
    // Already finished: cancelling leaves it done, and its file in place.
    expect(result).toMatchObject({ id: w.exportJobId, state: 'done' })
    expect(readFileSync(result.file, 'utf8')).toMatch(/^conversation_id,conversation_uid,/)
  },
  importConversations: async (result, _w, core) => {
    expect(result).toEqual({ added: 1, skipped: 0, messages: 0 })
    expect((await core.api.listConversations({})).conversations.map((c) => c.title)).toContain('Imported')
  },
  listBackups: async (result, _w, core) => expect(result).toEqual(await core.api.listBackups()),
  createBackup: async (result, w, core) => {
    expect(result).toMatchObject({ kind: 'manual' })
    expect(result.sizeBytes).toBeGreaterThan(0)
    expect((await core.api.listBackups()).backups).toContainEqual(result)
    w.backupId = result.id
  },
  updateBackupSchedule: async (result) => expect(result.schedule).toEqual({ enabled: true, intervalHours: 24, keep: 3 }),
  checkBackup: async (result, w) => {
    expect(result).toMatchObject({ ok: true, problem: null, backup: { id: w.backupId } })
    expect(result.contents?.conversations).toBeGreaterThan(0)
  },
  restoreBackup: async (result, w) => expect(result).toMatchObject({ restored: { id: w.backupId }, restartRequired: true }),
}

/** One argument list per method that the API must refuse with invalid-input (ids that do not exist are not checked first). */
const refused: { [M in ApiMethod]: unknown[] } = {
  listConversations: [{ limit: 0 }],
  getConversation: [0],
  createConversation: [{ title: '' }],
  renameConversation: [1, ''],
  deleteConversation: [-1],
  addCustomerMessage: [1, '   '],
  useReply: [1, ''],
  startDraft: [1.5],
  stopDraft: ['one'],
  exportConversation: [1, 'pdf'],
  getSettings: ['unexpected'],
  updateSettings: [{ dataDir: '/' }],
  listIntegrationKeys: ['unexpected'],
  createIntegrationKey: [{ name: 'No scopes', scopes: [] }],
  revokeIntegrationKey: ['not-a-key-id'],
  getKnowledgeBase: ['unexpected'],
  searchKnowledgeBase: ['x'.repeat(MAX_SEARCH_CHARS + 1)],
  getPassage: [0],
  addKnowledgeBaseDocuments: [[]],
  openKnowledgeBaseDocument: [''],
  draftFromKnowledgeBase: [0],
  rewriteDraft: [1, { text: 'Hello', instruction: { kind: 'louder' } }],
  summarizeConversation: [0],
  listSnippets: [{ q: 'x'.repeat(MAX_SEARCH_CHARS + 1) }],
  createSnippet: [{ title: '', body: 'A body' }],
  exportSnippets: ['unexpected'],
  importSnippets: [42],
  updateSnippet: [1, { shortcut: 'has space' }],
  deleteSnippet: [0],
  setDraftFeedback: [1, { rating: 'sideways' }],
  getConversationReview: [0],
  listTags: ['unexpected'],
  createTag: [{ name: '' }],
  updateTag: [1, {}],
  deleteTag: [0],
  tagConversations: [1, []],
  untagConversations: [0, [1]],
  listSavedFilters: ['unexpected'],
  saveFilter: [{ name: '', filter: {} }],
  deleteSavedFilter: [0],
  getStats: [{ status: ['sideways'] }],
  startExport: [{ format: 'pdf' }],
  getExportJob: ['NOT VALID'],
  cancelExportJob: ['NOT VALID'],
  importConversations: [''],
  listBackups: ['unexpected'],
  createBackup: ['unexpected'],
  updateBackupSchedule: [{ keep: 0 }],
  checkBackup: ['not a backup'],
  restoreBackup: ['not a backup'],
}

async function call(api: SupportConsoleApi, method: ApiMethod, args: readonly unknown[]): Promise<unknown> {
  return (api[method] as (...a: unknown[]) => Promise<unknown>)(...args)
}

describe('the declarations', () => {
  it('give every method an IPC channel with main’s handler, a preload method (bridged too) and an HTTP client method', async () => {
    const h = await start()
    const { api, ipc } = clientOver('ipc', h)
    const expected = [...API_METHODS, 'onConversationEvents'].sort()
    expect(Object.keys(api).sort()).toEqual(expected)
    expect(Object.keys(createHttpApi({ baseUrl: h.url, token: TEST_TOKEN })).sort()).toEqual(expected)
    const channels = API_METHODS.map((method) => INVOKE_CHANNELS[method])
    expect(new Set(channels).size).toBe(API_METHODS.length)
    expect(channels.every((channel) => channel.startsWith('sc:'))).toBe(true)
    expect(ipc?.channels.sort()).toEqual([...channels, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL].sort())
  })

  it('give every method a REST route of its own, or one told apart by fixed body fields', () => {
    const seen = new Map<string, ApiMethod[]>()
    for (const method of API_METHODS) {
      const { http } = API[method]
      const key = `${http.method} ${http.path}`
      seen.set(key, [...(seen.get(key) ?? []), method])
      // Every {name} in the path is filled by one argument, and every argument has a place.
      const names = [...http.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      expect(http.args.filter((place) => place.startsWith('path:')).map((place) => place.slice(5))).toEqual(names)
      expect(http.args.length).toBe(API[method].args.def.items.length)
    }
    for (const [key, methods] of seen) {
      if (methods.length === 1) continue
      const fixed = methods.map((method) => JSON.stringify(API[method].http.fixed ?? null))
      expect(new Set(fixed).size, key).toBe(methods.length)
      expect(fixed.includes('null'), key).toBe(false)
    }
  })

  it('map every error code to one HTTP status, and back', () => {
    const statuses = API_ERROR_CODES.map((code) => HTTP_STATUS_OF[code])
    expect(new Set(statuses).size).toBe(API_ERROR_CODES.length)
    for (const code of API_ERROR_CODES) expect(apiErrorCodeOf(HTTP_STATUS_OF[code])).toBe(code)
  })
})

describe.each<Transport>(['ipc', 'http'])('every declared method over %s', (transport) => {
  it('works, with the result the core gives, and over HTTP with the declared route and status', async () => {
    const h = await start({ openFile, chooseExportFile })
    h.emulator.enqueue({ chunks: ['We are ', 'on it.'], delayMs: 20 })
    const w = await world(h.core)
    const { api } = clientOver(transport, h)
    const requests: { method: string; path: string; status: number }[] = []
    if (transport === 'http') {
      const realFetch = globalThis.fetch
      vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
        const response = await realFetch(input, init)
        // Only the console's calls to the core: a draft's own request to Gemini (the emulator) goes through fetch too.
        if (String(input).startsWith(h.url)) {
          requests.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname, status: response.status })
        }
        return response
      })
    }
    for (const method of API_METHODS) {
      const sample = samples[method]
      expect(sample, `a sample for ${method} in test/api-contract.test.ts`).toBeTypeOf('function')
      requests.length = 0
      const args = sample(w)
      const result = await call(api, method, args)
      await (verify[method] as (r: unknown, w: World, core: SupportConsoleCore) => Promise<void>)(result, w, h.core)
      if (transport === 'http') {
        const { http } = API[method]
        const path = http.path.replace(/\{(\w+)\}/g, () => String(args[0]))
        expect(requests, method).toEqual([{ method: http.method, path, status: http.status }])
      }
    }
  })

  it('refuses bad arguments with invalid-input before the core acts', async () => {
    const h = await start()
    const before = await h.core.api.listConversations({})
    const { api } = clientOver(transport, h)
    for (const method of API_METHODS) {
      // Over HTTP a method without arguments has nothing to send wrong.
      if (transport === 'http' && API[method].args.def.items.length === 0) continue
      const error = await refusal(call(api, method, refused[method]))
      expect(error.code, `${method}(${JSON.stringify(refused[method])}): ${error.message}`).toBe('invalid-input')
    }
    expect(await h.core.api.listConversations({})).toEqual(before)
    expect(h.emulator.requests).toHaveLength(0)
  })
})
