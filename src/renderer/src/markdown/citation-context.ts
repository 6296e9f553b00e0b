// What a rendered draft's citation buttons need from the panel around them: the draft's sources and how to open
// one. Without a provider (the transcript, a customer's message) markers stay plain text.
import { createContext } from 'react'
import type { DraftSource } from '../../../shared/knowledge'

export interface Citations {
  sources: readonly DraftSource[]
  open(source: DraftSource): void
}

export const CitationContext = createContext<Citations | null>(null)
