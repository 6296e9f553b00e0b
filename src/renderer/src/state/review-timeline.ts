// How the timeline names what happened between a draft and the reply sent from it. Pure: unit-tested under Node.
import type { ReplyUse } from '../../../shared/review'

export interface ReplyUseIndex {
  byReply: ReadonlyMap<number, ReplyUse>
  byDraft: ReadonlyMap<number, ReplyUse[]>
}

export function indexReplyUses(uses: readonly ReplyUse[]): ReplyUseIndex {
  const byReply = new Map<number, ReplyUse>()
  const byDraft = new Map<number, ReplyUse[]>()
  for (const use of uses) {
    byReply.set(use.agentMessageId, use)
    byDraft.set(use.draftId, [...(byDraft.get(use.draftId) ?? []), use])
  }
  return { byReply, byDraft }
}

/** "Sent unchanged", or "87% kept · 12 characters changed". */
export function editSummary(use: Pick<ReplyUse, 'editDistance' | 'similarity'>): string {
  if (use.editDistance === 0) return 'Sent unchanged'
  const changed = use.editDistance === 1 ? '1 character changed' : `${use.editDistance} characters changed`
  return `${Math.round(use.similarity * 100)}% kept · ${changed}`
}
