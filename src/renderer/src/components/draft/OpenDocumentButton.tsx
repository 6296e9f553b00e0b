// "Open file": the cited document in the app the computer opens it with. Only the desktop app can, so a browser
// console does not offer it. Should the core still answer 'unavailable', the button gives way to the reason why.
import { useState } from 'react'
import { useApi, useApiCapabilities } from '../../api/api-context'
import { describeError, errorCode } from '../../api/errors'
import { useNotices } from '../../context/notices'
import { Icon } from '../Icon'

export function OpenDocumentButton({ path }: { path: string }) {
  const api = useApi()
  const { openDocuments } = useApiCapabilities()
  const { toast } = useNotices()
  const [opening, setOpening] = useState(false)
  const [unavailable, setUnavailable] = useState<string | null>(null)

  const open = async (): Promise<void> => {
    setOpening(true)
    try {
      await api.openKnowledgeBaseDocument(path)
    } catch (error) {
      if (errorCode(error) === 'unavailable') setUnavailable(describeError(error))
      else toast(`Could not open ${path}. ${describeError(error)}`, 'error')
    } finally {
      setOpening(false)
    }
  }

  if (!openDocuments) return null
  if (unavailable) {
    return (
      <p className="muted small footer-note" role="status" data-testid="open-document-unavailable">
        {unavailable}
      </p>
    )
  }
  return (
    <button type="button" className="button" onClick={() => void open()} disabled={opening} data-testid="open-document-button">
      <Icon name="external" />
      {opening ? 'Opening…' : 'Open file'}
    </button>
  )
}
