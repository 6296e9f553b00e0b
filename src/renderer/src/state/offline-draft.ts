// When the console offers a draft assembled from the knowledge base instead of Gemini's, and how such a draft is
// told apart: it is never to be taken for a Gemini reply. Pure: unit-tested under Node.
import type { ErrorKind } from '../../../shared/domain'
import { OFFLINE_DRAFT_MODEL } from '../../../shared/knowledge'
import { isDrafting, type DraftState } from './draft-state'

/** Said wherever an offline draft is shown. */
export const OFFLINE_DRAFT_LABEL = 'Offline draft from the knowledge base — not written by Gemini'

// The failures that mean Gemini cannot be used for now; a blocked or cut-off draft is Gemini working, and a busy
// Gemini or a slow answer is worth retrying rather than giving up on it.
const UNREACHABLE: Partial<Record<ErrorKind, string>> = {
  network: 'Gemini cannot be reached.',
  auth: 'Gemini refused the API key.',
  quota: 'The Gemini usage limit is reached.',
}

/** The saved model name says so; a live Gemini draft never carries it. */
export const isOfflineDraft = (draft: Pick<DraftState, 'model'>): boolean => draft.model === OFFLINE_DRAFT_MODEL

/**
 * Why Gemini cannot draft right now, when a draft from the knowledge base should be offered; null when it should
 * not (Gemini is usable, a draft is under way, or the draft shown is already an offline one).
 */
export function offlineDraftReason(draft: DraftState, hasApiKey: boolean): string | null {
  if (isDrafting(draft) || isOfflineDraft(draft)) return null
  if (!hasApiKey) return 'There is no Gemini API key.'
  if (draft.phase !== 'ended' || !draft.error) return null
  return UNREACHABLE[draft.error.kind] ?? null
}
