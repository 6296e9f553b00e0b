// The Snippets dialog's data: the list (searched as the agent types), and creating, editing, deleting,
// importing and exporting snippets. Each change reloads the list; failures are said in a toast.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { NewSnippet, Snippet, SnippetUpdate } from '../../../shared/steering'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'
import { download } from '../dom/download'

export interface SnippetsControls {
  snippets: Snippet[] | null
  error: string | null
  query: string
  setQuery(query: string): void
  /** Resolve to whether it was saved (the form stays open otherwise, with the reason). */
  create(input: NewSnippet): Promise<string | null>
  update(id: number, input: SnippetUpdate): Promise<string | null>
  remove(snippet: Snippet): Promise<void>
  importFile(file: File): Promise<void>
  exportAll(): Promise<void>
}

export function useSnippets(): SnippetsControls {
  const api = useApi()
  const { toast } = useNotices()
  const [snippets, setSnippets] = useState<Snippet[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const latest = useRef(0)

  const reload = useCallback(async (): Promise<void> => {
    const mine = ++latest.current
    try {
      const found = await api.listSnippets(query.trim() === '' ? {} : { q: query.trim() })
      if (latest.current === mine) {
        setSnippets(found)
        setError(null)
      }
    } catch (e) {
      if (latest.current === mine) setError(describeError(e))
    }
  }, [api, query])

  useEffect(() => {
    void reload()
  }, [reload])

  /** Runs a change; null when it worked, else why not. */
  const change = async (run: () => Promise<unknown>, done: string): Promise<string | null> => {
    try {
      await run()
      toast(done, 'success')
      await reload()
      return null
    } catch (e) {
      return describeError(e)
    }
  }

  return {
    snippets,
    error,
    query,
    setQuery,
    create: (input) => change(() => api.createSnippet(input), 'Snippet saved'),
    update: (id, input) => change(() => api.updateSnippet(id, input), 'Snippet saved'),
    remove: async (snippet) => {
      const failed = await change(() => api.deleteSnippet(snippet.id), `Deleted “${snippet.title}”`)
      if (failed) toast(failed, 'error')
    },
    importFile: async (file) => {
      try {
        const { added, skipped } = await api.importSnippets(await file.text())
        toast(`Imported ${added} snippet${added === 1 ? '' : 's'}${skipped ? ` (${skipped} already there)` : ''}`, 'success')
        await reload()
      } catch (e) {
        toast(`Could not import ${file.name}: ${describeError(e)}`, 'error')
      }
    },
    exportAll: async () => {
      try {
        download(await api.exportSnippets())
      } catch (e) {
        toast(describeError(e), 'error')
      }
    },
  }
}
