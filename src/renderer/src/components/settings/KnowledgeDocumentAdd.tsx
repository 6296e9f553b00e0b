// "Add documents": files picked or dropped here are copied into the knowledge-base folder by the core, which then
// indexes them like any file put there. What was added and what was refused (and why) is said under it.
import { useId, useRef, useState, type DragEvent } from 'react'
import type { AddedKnowledgeDocuments } from '../../../../shared/knowledge'
import { KNOWLEDGE_EXTENSIONS } from '../../../../shared/knowledge'
import { useApi } from '../../api/api-context'
import { describeError } from '../../api/errors'
import { readFileAsBase64 } from '../../dom/file-base64'
import { planUpload } from '../../state/knowledge-base'
import { Icon } from '../Icon'
import { KnowledgeAddResult } from './KnowledgeAddResult'

const ACCEPT = KNOWLEDGE_EXTENSIONS.map((e) => `.${e}`).join(',')

export function KnowledgeDocumentAdd({ onAdded }: { onAdded(): void }) {
  const api = useApi()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [dragging, setDragging] = useState(false)
  const [result, setResult] = useState<AddedKnowledgeDocuments | null>(null)
  const [error, setError] = useState<string | null>(null)

  const add = async (files: File[]): Promise<void> => {
    if (files.length === 0) return
    setBusy(true)
    setError(null)
    const { batches, refused } = planUpload(files)
    const total: AddedKnowledgeDocuments = { added: [], refused }
    try {
      for (const batch of batches) {
        const documents = await Promise.all(batch.map(async (file) => ({ name: file.name, contentBase64: await readFileAsBase64(file) })))
        const answer = await api.addKnowledgeBaseDocuments(documents)
        total.added.push(...answer.added)
        total.refused.push(...answer.refused)
      }
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setResult(total)
      setBusy(false)
      if (total.added.length > 0) onAdded()
    }
  }

  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault()
    setDragging(false)
    if (!busy) void add([...event.dataTransfer.files])
  }

  return (
    <div className="field">
      <span className="label" id={`${id}-label`}>
        Add documents
      </span>
      <div
        className={`knowledge-drop${dragging ? ' is-dragging' : ''}`}
        data-testid="knowledge-drop-zone"
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="muted small" id={`${id}-hint`}>
          Drop Markdown, text, HTML or PDF files here, or pick them. They are copied into the folder and indexed.
        </p>
        <input
          ref={input}
          id={`${id}-files`}
          type="file"
          multiple
          accept={ACCEPT}
          className="visually-hidden"
          tabIndex={-1}
          data-testid="knowledge-file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])]
            e.target.value = ''
            void add(files)
          }}
        />
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-describedby={`${id}-label ${id}-hint`}
          onClick={() => input.current?.click()}
          data-testid="knowledge-pick-button"
        >
          <Icon name="plus" />
          {busy ? 'Adding…' : 'Choose files…'}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="knowledge-add-error">
          {error}
        </p>
      )}
      {result && <KnowledgeAddResult result={result} />}
    </div>
  )
}
