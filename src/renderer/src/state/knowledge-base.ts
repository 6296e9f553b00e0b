// Settings → Knowledge base, the parts that are not React: the folder form's values and the update they make
// (checked with the schema main uses), what the index's state says in words, and which picked files to send in
// which request. Pure: unit-tested under Node.
import type { KnowledgeBaseSettingsView, SettingsUpdate } from '../../../shared/api'
import { KNOWLEDGE_EXTENSIONS, type KnowledgeBaseView } from '../../../shared/knowledge'
import { MAX_KB_DOCUMENT_BYTES, MAX_KB_UPLOAD_BYTES, MAX_KB_UPLOAD_FILES } from '../../../shared/limits'
import { packInOrder } from '../../../shared/pack-in-order'
import { settingsUpdate } from '../../../shared/schemas'

export type KnowledgeField = 'knowledgeBaseDir' | 'kbPassages' | 'kbTokenBudget'
export type KnowledgeFieldErrors = Partial<Record<KnowledgeField, string>>

/** The form's fields as typed. */
export interface KnowledgeFormValues {
  dir: string
  passages: string
  tokenBudget: string
}

export function initialKnowledgeValues(view: KnowledgeBaseSettingsView): KnowledgeFormValues {
  return { dir: view.dir ?? '', passages: String(view.passages), tokenBudget: String(view.tokenBudget) }
}

// Digits only: Number('') is 0 and Number('1e3') is 1000, neither of which is what was typed. NaN fails the schema.
const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN)

/** Only what changed; an empty folder turns the knowledge base off. The folder is left out while the environment sets it. */
export function buildKnowledgeUpdate(view: KnowledgeBaseSettingsView, values: KnowledgeFormValues): SettingsUpdate {
  const update: SettingsUpdate = {}
  const dir = values.dir.trim() === '' ? null : values.dir.trim()
  if (!view.setByEnvironment && dir !== view.dir) update.knowledgeBaseDir = dir
  const passages = wholeNumber(values.passages)
  if (passages !== view.passages) update.kbPassages = passages
  const budget = wholeNumber(values.tokenBudget)
  if (budget !== view.tokenBudget) update.kbTokenBudget = budget
  return update
}

/** The first problem with each field, or null when the update is valid. */
export function checkKnowledgeUpdate(update: SettingsUpdate): KnowledgeFieldErrors | null {
  const checked = settingsUpdate.safeParse(update)
  if (checked.success) return null
  const found: KnowledgeFieldErrors = {}
  for (const issue of checked.error.issues) {
    const field = issue.path[0] as KnowledgeField | undefined
    if (field && !found[field]) found[field] = issue.message
  }
  return found
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** The index's state in a sentence. */
export function describeIndexState(view: KnowledgeBaseView): string {
  switch (view.state) {
    case 'off':
      return 'No folder is set, so drafts are written from the conversation alone.'
    case 'indexing':
      return view.progress ? `Indexing: ${view.progress.done} of ${plural(view.progress.total, 'file')} done.` : 'Indexing…'
    case 'error':
      return `The folder cannot be indexed. ${view.error ?? ''}`.trim()
    case 'ready': {
      const failed = view.documents.filter((d) => d.error !== null).length
      const summary = `${plural(view.documents.length, 'document')}, ${plural(view.passageCount, 'passage')}.`
      return failed > 0 ? `${summary} ${plural(failed, 'document')} could not be read (see below).` : summary
    }
  }
}

/** Percent done of an indexing run, 0–100; 0 for a run that has not counted its files yet. */
export function progressPercent(progress: { done: number; total: number } | null): number {
  if (!progress || progress.total <= 0) return 0
  return Math.min(100, Math.round((progress.done / progress.total) * 100))
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

export interface UploadPlan<F> {
  /** Requests to make, each within the API's limits on files and bytes. */
  batches: F[][]
  /** Files not worth sending: the core would refuse them. */
  refused: { name: string; reason: string }[]
}

/**
 * Which of the picked or dropped files to send, in requests the API accepts. The core judges every file again
 * (it is the one that decides); this only spares uploading what it would certainly refuse, and says why.
 */
export function planUpload<F extends { name: string; size: number }>(files: readonly F[]): UploadPlan<F> {
  const uploadable: F[] = []
  const refused: UploadPlan<F>['refused'] = []
  const accepted: readonly string[] = KNOWLEDGE_EXTENSIONS
  for (const file of files) {
    if (!accepted.includes(extensionOf(file.name))) {
      refused.push({ name: file.name, reason: `only ${KNOWLEDGE_EXTENSIONS.map((e) => `.${e}`).join(', ')} files can be added` })
      continue
    }
    if (file.size > MAX_KB_DOCUMENT_BYTES) {
      refused.push({ name: file.name, reason: `it is larger than ${formatBytes(MAX_KB_DOCUMENT_BYTES)}` })
      continue
    }
    uploadable.push(file)
  }
  return { batches: packInOrder(uploadable, (file) => file.size, MAX_KB_UPLOAD_BYTES, MAX_KB_UPLOAD_FILES), refused }
}
