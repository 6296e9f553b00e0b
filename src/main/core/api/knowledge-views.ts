// The knowledge base as the API shows it: the core's records turned into the shared views (src/shared/knowledge.ts).
import type { KnowledgeBaseView, PassageInContext, RetrievedPassageView } from '../../../shared/knowledge'
import type { StoredPassage } from '../knowledge/knowledge-index'
import type { LiveKnowledgeBase } from '../knowledge/live-knowledge-base'
import type { RetrievedPassage } from '../knowledge/retrieve'

/** The folder Settings holds, the base in use for it (if any), and what it is doing. */
export function knowledgeBaseView(dir: string | null, live: LiveKnowledgeBase): KnowledgeBaseView {
  const base = live.current
  if (!base) {
    return { dir, state: dir !== null && live.problem ? 'error' : 'off', progress: null, error: live.problem, documents: [], passageCount: 0 }
  }
  const status = base.status()
  const error = status.error ?? live.problem
  // Until the first scan has finished, the base is indexing even while the scan waits its turn.
  const state = error !== null ? 'error' : status.indexing !== null || status.lastScan === null ? 'indexing' : 'ready'
  return {
    dir: base.folder,
    state,
    progress: status.indexing && { done: status.indexing.done, total: status.indexing.total },
    error,
    documents: base.documents().map((d) => ({
      path: d.path,
      title: d.title,
      passages: d.passageCount,
      indexedAt: d.indexedAt,
      sizeBytes: d.size,
      error: d.error,
    })),
    passageCount: status.passages,
  }
}

export const retrievedView = (p: RetrievedPassage): RetrievedPassageView => ({
  passageId: p.passageId,
  path: p.documentPath,
  title: p.documentTitle,
  heading: p.headingPath,
  text: p.text,
  score: p.score,
})

/** A passage read on its own (not found by a search) has no score: 0. */
export function passageInContext(passage: StoredPassage, ofDocument: readonly StoredPassage[]): PassageInContext {
  const at = ofDocument.findIndex((p) => p.id === passage.id)
  return {
    passage: {
      passageId: passage.id,
      path: passage.documentPath,
      title: passage.documentTitle,
      heading: passage.headingPath,
      text: passage.text,
      score: 0,
    },
    before: at > 0 ? (ofDocument[at - 1]?.text ?? '') : '',
    after: at >= 0 ? (ofDocument[at + 1]?.text ?? '') : '',
  }
}
