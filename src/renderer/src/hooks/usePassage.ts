// A cited passage with the text around it in its document, loaded when the passage dialog opens. A passage the
// index no longer has (its document changed or was removed since the draft) is said to be gone, not an error.
import { useEffect, useState } from 'react'
import type { PassageInContext } from '../../../shared/knowledge'
import { useApi } from '../api/api-context'
import { describeError, errorCode } from '../api/errors'

export interface PassageLoad {
  context: PassageInContext | null
  /** Why the text around it could not be loaded; null while loading or once loaded. */
  error: string | null
  /** The passage is no longer in the knowledge base. */
  gone: boolean
}

export function usePassage(passageId: number): PassageLoad {
  const api = useApi()
  const [load, setLoad] = useState<PassageLoad>({ context: null, error: null, gone: false })
  useEffect(() => {
    let current = true
    setLoad({ context: null, error: null, gone: false })
    api.getPassage(passageId).then(
      (context) => current && setLoad({ context, error: null, gone: false }),
      (error: unknown) => current && setLoad({ context: null, error: describeError(error), gone: errorCode(error) === 'not-found' }),
    )
    return () => {
      current = false
    }
  }, [api, passageId])
  return load
}
