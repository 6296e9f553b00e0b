// GET /api/export (issue 9): a bulk export streamed as a download. Written a page at a time with backpressure
// (api/export-bulk.ts), so a slow client holds the export back rather than the server's memory; a client that
// goes away stops it between pages.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { exportQuery, queryFields, type ExportRequest } from '../../../shared/review'
import { parseInput } from '../api/api-errors'
import { EXPORT_MIME_TYPES, exportFilename } from '../api/export-bulk'
import type { RouteContext } from './route-context'

export async function exportConversations(context: RouteContext, _request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const { format, ids, ...filter } = parseInput(exportQuery, queryFields(url.searchParams))
  const exportRequest: ExportRequest = ids && ids.length > 0 ? { format, ids } : { format, filter }
  const stop = new AbortController()
  const onClose = (): void => stop.abort(new Error('the client went away'))
  response.once('close', onClose)
  // Refused (a bad filter) before the headers go out, so the client gets a JSON error instead of a broken file.
  let started = false
  try {
    await context.api.streamExport(exportRequest, response, {
      signal: stop.signal,
      onProgress: () => {
        if (started) return
        started = true
        response.writeHead(200, {
          ...context.cors,
          'Content-Type': EXPORT_MIME_TYPES[format],
          // ASCII letters, digits and dashes only (exportFilename), so it needs no quoting rules.
          'Content-Disposition': `attachment; filename="${exportFilename(format, new Date())}"`,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        })
      },
    })
    response.end()
  } finally {
    response.off('close', onClose)
  }
}
