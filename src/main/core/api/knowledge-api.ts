// The knowledge base as the agent sees it: its state, what a draft would retrieve, a passage in its document,
// documents added to its folder or opened in their own application.
import { ApiError } from '../../../shared/api'
import type {
  AddedKnowledgeDocuments,
  KnowledgeBaseView,
  NewKnowledgeDocument,
  PassageInContext,
  RetrievedPassageView,
} from '../../../shared/knowledge'
import { addDocuments, documentFile, DocumentPathError } from '../knowledge/document-files'
import type { KnowledgeBase } from '../knowledge/knowledge-base'
import type { ApiServiceDeps } from './api-deps'
import { knowledgeBaseView, passageInContext, retrievedView } from './knowledge-views'

export class KnowledgeApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'settings' | 'knowledge' | 'openFile'>) {}

  async getKnowledgeBase(): Promise<KnowledgeBaseView> {
    return knowledgeBaseView(this.deps.settings.current.knowledgeBaseDir, this.deps.knowledge)
  }

  /** What a draft would get for this text: as many passages as a draft, within the same token budget (none without a folder). */
  async searchKnowledgeBase(text: string): Promise<RetrievedPassageView[]> {
    const { kbPassages, kbTokenBudget } = this.deps.settings.current
    const base = this.deps.knowledge.current
    return base ? base.retrieve(text, { limit: kbPassages, tokenBudget: kbTokenBudget }).map(retrievedView) : []
  }

  async getPassage(passageId: number): Promise<PassageInContext> {
    const base = this.#knowledgeBase()
    const passage = base.passage(passageId)
    // Ids belong to the index as it is now: a draft's source may name a passage that has since changed or gone.
    if (!passage) throw new ApiError('not-found', `There is no passage ${passageId} in the knowledge base (its document may have changed since).`)
    return passageInContext(passage, base.passagesOf(passage.documentPath))
  }

  /** Copied into the folder; the folder's watcher indexes them like any file put there. */
  async addKnowledgeBaseDocuments(files: NewKnowledgeDocument[]): Promise<AddedKnowledgeDocuments> {
    return addDocuments(this.#knowledgeBase().folder, files)
  }

  async openKnowledgeBaseDocument(path: string): Promise<void> {
    const { openFile } = this.deps
    if (!openFile) {
      throw new ApiError('unavailable', 'Documents open in their own application from the desktop app only; here, read the passage in the console.')
    }
    let file: string
    try {
      file = await documentFile(this.#knowledgeBase().folder, path)
    } catch (error) {
      if (error instanceof DocumentPathError) throw new ApiError(error.reason === 'outside' ? 'invalid-input' : 'not-found', error.message)
      throw error
    }
    try {
      await openFile(file)
    } catch (error) {
      throw new ApiError('unavailable', `${path} could not be opened: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  #knowledgeBase(): KnowledgeBase {
    const base = this.deps.knowledge.current
    if (!base) throw new ApiError('unavailable', 'No knowledge-base folder is set: choose one in Settings.')
    return base
  }
}
