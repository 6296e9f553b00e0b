// Import conversations from a JSON export (this machine's or another's): conversations already here (same stable
// id) are skipped, so importing a file twice adds nothing; the result says what was added and skipped.
import { useState } from 'react'
import type { ImportResult } from '../../../../shared/review'
import { useApi } from '../../api/api-context'
import { describeError } from '../../api/errors'

export function BackupsImport() {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ImportResult | null>(null)
  const [error, setError] = useState<string | null>(null)

  const importFile = async (file: File): Promise<void> => {
    setBusy(true)
    setError(null)
    setResult(null)
    try {
      setResult(await api.importConversations(await file.text()))
    } catch (e) {
      setError(describeError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="field backups-import">
      <label htmlFor="import-conversations">Import conversations (a JSON export)</label>
      <input
        id="import-conversations"
        type="file"
        accept=".json,application/json"
        disabled={busy}
        data-testid="import-file"
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) void importFile(file)
        }}
      />
      <div role="status" aria-live="polite">
        {busy && <p className="muted small">Importing…</p>}
        {result && (
          <p className="small" data-testid="import-result">
            Added {result.added} conversation{result.added === 1 ? '' : 's'} ({result.messages} messages); skipped {result.skipped} already here.
          </p>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
