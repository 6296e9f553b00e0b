// Snippets: the agent's saved texts, listed, edited, and moved between consoles as a JSON file.
import { ApiError, type ExportedTranscript } from '../../../shared/api'
import { snippetsFile } from '../../../shared/schemas'
import {
  SNIPPETS_FILE_VERSION,
  type NewSnippet,
  type Snippet,
  type SnippetImportResult,
  type SnippetQuery,
  type SnippetsFile,
  type SnippetUpdate,
} from '../../../shared/steering'
import { SnippetShortcutTaken } from '../store/snippets'
import type { ApiServiceDeps } from './api-deps'
import { guard, knownApiError, parseInput } from './api-errors'

export class SnippetsApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'store'>) {}

  async listSnippets(query: SnippetQuery): Promise<Snippet[]> {
    return guard(() => this.deps.store.snippets.list(query.q))
  }

  async createSnippet(input: NewSnippet): Promise<Snippet> {
    return snippetsCall(() => this.deps.store.snippets.create(input))
  }

  async updateSnippet(id: number, input: SnippetUpdate): Promise<Snippet> {
    const updated = snippetsCall(() => this.deps.store.snippets.update(id, input))
    if (!updated) throw snippetNotFound(id)
    return updated
  }

  async deleteSnippet(id: number): Promise<void> {
    if (!guard(() => this.deps.store.snippets.delete(id))) throw snippetNotFound(id)
  }

  async exportSnippets(): Promise<ExportedTranscript> {
    const file: SnippetsFile = {
      version: SNIPPETS_FILE_VERSION,
      snippets: this.deps.store.snippets.list().map(({ title, body, shortcut }) => ({ title, body, shortcut })),
    }
    const day = new Date().toISOString().slice(0, 10)
    return {
      filename: `support-console-snippets-${day}.json`,
      mimeType: 'application/json; charset=utf-8',
      content: `${JSON.stringify(file, null, 2)}\n`,
    }
  }

  async importSnippets(json: string): Promise<SnippetImportResult> {
    let parsed: unknown
    try {
      parsed = JSON.parse(json)
    } catch {
      throw new ApiError('invalid-input', 'This is not a snippets file: it is not valid JSON.')
    }
    const file = parseInput(snippetsFile, parsed, 'Snippets file:')
    return snippetsCall(() => this.deps.store.snippets.importMany(file.snippets))
  }
}

const snippetNotFound = (id: number): ApiError => new ApiError('not-found', `Snippet ${id} does not exist; it may have been deleted.`)

/** The snippet store's own refusal as an ApiError: a shortcut in use is a conflict. */
function snippetsCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof SnippetShortcutTaken) throw new ApiError('conflict', error.message)
    throw knownApiError(error) ?? error
  }
}
