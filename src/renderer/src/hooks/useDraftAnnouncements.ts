// Screen readers hear that a draft started and how it ended, not every token.
import { useEffect, useRef } from 'react'
import { useNotices } from '../context/notices'
import type { DraftState } from '../state/draft-state'

const ANNOUNCE_END: Record<NonNullable<DraftState['status']>, string> = {
  complete: 'Draft ready.',
  stopped: 'Draft stopped.',
  error: 'The draft failed.',
  blocked: 'Gemini declined to draft this reply.',
  interrupted: 'The draft was interrupted.',
  truncated: 'The draft was cut off before it finished.',
}

export function useDraftAnnouncements({ phase, status }: Pick<DraftState, 'phase' | 'status'>): void {
  const { announce } = useNotices()
  const previousPhase = useRef(phase)
  useEffect(() => {
    const before = previousPhase.current
    previousPhase.current = phase
    if (phase === 'streaming' && before !== 'streaming') announce('Drafting a reply…')
    if (phase === 'ended' && (before === 'streaming' || before === 'starting') && status) announce(ANNOUNCE_END[status])
  }, [phase, status, announce])
}
