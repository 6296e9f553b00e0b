// Exporting a selection or everything the filter matches. In a browser the file is the streamed download of
// GET /api/export (the browser shows its progress and holds nothing in memory); in the desktop app the main
// process asks where to save and writes in the background, and its job is polled here for the progress bar.
import { useCallback, useEffect, useState } from 'react'
import type { ExportJob, ExportRequest } from '../../../shared/review'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { TOKEN_STORAGE_KEY } from '../api/http-api'
import { useNotices } from '../context/notices'
import { webExportHref } from '../state/export-job'

const POLL_MS = 250

export interface BulkExport {
  job: ExportJob | null
  start(request: ExportRequest): Promise<void>
  cancel(): void
  dismiss(): void
}

export function useBulkExport(): BulkExport {
  const api = useApi()
  const { toast } = useNotices()
  const [job, setJob] = useState<ExportJob | null>(null)
  const running = job?.state === 'running' ? job.id : null

  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => {
      api.getExportJob(running).then(setJob, (error: unknown) => toast(describeError(error), 'error'))
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [api, running, toast])

  const start = useCallback(
    async (request: ExportRequest): Promise<void> => {
      if (!window.supportConsole) {
        const token = sessionStorage.getItem(TOKEN_STORAGE_KEY)
        if (!token) return toast('This page has lost its access link: open the web console link again.', 'error')
        const link = document.createElement('a')
        link.href = webExportHref(request, token)
        link.download = ''
        link.rel = 'noopener'
        document.body.append(link)
        link.click()
        link.remove()
        toast('The export is downloading: your browser shows its progress.', 'info')
        return
      }
      try {
        const started = await api.startExport(request)
        if (started) setJob(started)
      } catch (error) {
        toast(describeError(error), 'error')
      }
    },
    [api, toast],
  )

  const cancel = useCallback(() => {
    if (running) api.cancelExportJob(running).then(setJob, (error: unknown) => toast(describeError(error), 'error'))
  }, [api, running, toast])

  return { job, start, cancel, dismiss: useCallback(() => setJob(null), []) }
}
