// The saved filters (by name): listed when the filter panel opens, saved under a name (the same name replaces
// it), deleted. Failures are said in a toast.
import { useCallback, useEffect, useState } from 'react'
import type { ConversationFilter, SavedFilter } from '../../../shared/review'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'

export interface SavedFilters {
  saved: SavedFilter[]
  save(name: string, filter: ConversationFilter): Promise<boolean>
  remove(saved: SavedFilter): Promise<void>
}

export function useSavedFilters(): SavedFilters {
  const api = useApi()
  const { toast } = useNotices()
  const [saved, setSaved] = useState<SavedFilter[]>([])

  const reload = useCallback(async () => {
    try {
      setSaved(await api.listSavedFilters())
    } catch (error) {
      toast(`Could not load the saved filters: ${describeError(error)}`, 'error')
    }
  }, [api, toast])

  useEffect(() => {
    void reload()
  }, [reload])

  const save = useCallback(
    async (name: string, filter: ConversationFilter): Promise<boolean> => {
      try {
        await api.saveFilter({ name, filter })
        toast(`Saved the filter “${name}”`, 'success')
        await reload()
        return true
      } catch (error) {
        toast(describeError(error), 'error')
        return false
      }
    },
    [api, reload, toast],
  )

  const remove = useCallback(
    async (item: SavedFilter): Promise<void> => {
      try {
        await api.deleteSavedFilter(item.id)
        await reload()
      } catch (error) {
        toast(describeError(error), 'error')
      }
    },
    [api, reload, toast],
  )

  return { saved, save, remove }
}
