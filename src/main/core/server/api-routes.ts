// The JSON API over saved transcripts.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { conversationId, describeIssue, listQuery } from '../../../shared/schemas'
import { StoreInputError } from '../store/errors'
import { HttpError, sendJson } from './http-errors'
import type { RouteContext } from './local-server'

const detailPath = /^\/api\/conversations\/([^/]+)$/

export function handleApi(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL): boolean {
  if (url.pathname === '/api/conversations') {
    onlyGet(request)
    const parsed = listQuery.safeParse(Object.fromEntries(url.searchParams))
    if (!parsed.success) throw new HttpError(400, 'invalid-input', describeIssue(parsed.error))
    try {
      sendJson(response, 200, context.store.listConversations(parsed.data), context.cors)
    } catch (error) {
      if (error instanceof StoreInputError) throw new HttpError(400, 'invalid-input', error.message)
      throw error
    }
    return true
  }
  const detail = url.pathname.match(detailPath)
  if (detail) {
    onlyGet(request)
    const id = conversationId.safeParse(detail[1])
    if (!id.success) throw new HttpError(400, 'invalid-input', `conversation id ${describeIssue(id.error)}`)
    const found = context.store.getDetail(id.data)
    if (!found) throw new HttpError(404, 'not-found', `Conversation ${id.data} does not exist.`)
    sendJson(response, 200, found, context.cors)
    return true
  }
  return false
}

function onlyGet(request: IncomingMessage): void {
  if (request.method !== 'GET') throw new HttpError(405, 'method-not-allowed', 'Use GET.')
}
