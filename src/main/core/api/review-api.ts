// Review (issue 9): a conversation's review, tags, saved filters, statistics, and conversations imported from a file.
// Exports are export-api.ts; backups are backups-api.ts.
import { ApiError } from '../../../shared/api'
import type {
  ConversationFilter,
  ConversationReview,
  ImportDocument,
  ImportResult,
  NewSavedFilter,
  NewTag,
  ReviewStats,
  SavedFilter,
  Tag,
  TaggingResult,
  TagUpdate,
} from '../../../shared/review'
import { NameTakenError } from '../store/tags'
import type { ApiServiceDeps } from './api-deps'
import { guard, knownApiError } from './api-errors'
import { conversationNotFound } from './conversation-checks'

export class ReviewApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'store'>) {}

  async getConversationReview(id: number): Promise<ConversationReview> {
    const review = guard(() => this.deps.store.getReview(id))
    if (!review) throw conversationNotFound(id)
    return review
  }

  async listTags(): Promise<Tag[]> {
    return this.deps.store.tags.list()
  }

  async createTag(input: NewTag): Promise<Tag> {
    return reviewCall(() => this.deps.store.tags.create(input))
  }

  async updateTag(id: number, change: TagUpdate): Promise<Tag> {
    const tag = reviewCall(() => this.deps.store.tags.update(id, change))
    if (!tag) throw tagNotFound(id)
    return tag
  }

  async deleteTag(id: number): Promise<void> {
    if (!this.deps.store.tags.delete(id)) throw tagNotFound(id)
  }

  async tagConversations(tagId: number, ids: number[]): Promise<TaggingResult> {
    const result = reviewCall(() => this.deps.store.tags.tag(tagId, ids))
    if (!result) throw tagNotFound(tagId)
    return result
  }

  async untagConversations(tagId: number, ids: number[]): Promise<TaggingResult> {
    const result = reviewCall(() => this.deps.store.tags.untag(tagId, ids))
    if (!result) throw tagNotFound(tagId)
    return result
  }

  async listSavedFilters(): Promise<SavedFilter[]> {
    return this.deps.store.savedFilters.list()
  }

  async saveFilter(input: NewSavedFilter): Promise<SavedFilter> {
    return reviewCall(() => this.deps.store.savedFilters.save(input))
  }

  async deleteSavedFilter(id: number): Promise<void> {
    if (!this.deps.store.savedFilters.delete(id)) throw new ApiError('not-found', `Saved filter ${id} does not exist.`)
  }

  async getStats(filter: ConversationFilter): Promise<ReviewStats> {
    return guard(() => this.deps.store.statistics.compute(filter))
  }

  async importConversations(json: string | ImportDocument): Promise<ImportResult> {
    return guard(() => this.deps.store.importer.import(json))
  }
}

const tagNotFound = (id: number): ApiError => new ApiError('not-found', `Tag ${id} does not exist.`)

/** A name in use is a conflict; the store's other refusals as usual. */
function reviewCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof NameTakenError) throw new ApiError('conflict', error.message)
    throw knownApiError(error) ?? error
  }
}
