// "Open file": the cited document in the app the computer opens it with. Only the desktop app can; a browser
// console is told so by the API ('unavailable'), and then says why instead of offering the button again.
import { useState } from 'react'
import { useApi } from '../../api/api-context'
import { describeError, errorCode } from '../../api/errors'
import { useNotices } from '../../context/notices'
import { Icon } from '../Icon'

export function OpenDocumentButton({ path }: { path: string }) {
  const api = useApi()
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
