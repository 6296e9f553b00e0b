// A draft's figures: model, time to first token, tokens per second, and prompt/output/total tokens.
// A fixed 3×2 grid: the figures fill in at the end of a draft without moving anything.
import type { DraftState } from '../../state/draft-state'
import { draftFigures } from '../../state/draft-metrics'

export function DraftStats({ draft, live = false }: { draft: Pick<DraftState, 'model' | 'usage' | 'firstTokenMs' | 'durationMs'>; live?: boolean }) {
  const f = draftFigures(draft)
  if (!f.model && !f.hasUsage) return null
  const pending = live ? '…' : '–'
  const stat = (label: string, value: string | null, testId: string, title?: string) => (
    <div title={title}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value ?? pending}</dd>
    </div>
  )
  return (
    <dl className="draft-stats" data-testid="draft-stats">
      {stat('Model', f.model, 'draft-model', f.model ?? undefined)}
      {stat('First token', f.firstToken, 'draft-ttft', 'Time from the request to the first text')}
      {stat('Speed', f.rate, 'draft-rate', 'Output tokens per second, after the first token')}
      {stat('Prompt', f.hasUsage ? f.prompt : null, 'draft-prompt-tokens', 'Tokens sent to Gemini (conversation and persona)')}
      {stat('Output', f.hasUsage ? f.output : null, 'draft-output-tokens', 'Tokens Gemini wrote')}
      {stat('Total', f.hasUsage ? `${f.total} tokens` : null, 'draft-total-tokens')}
    </dl>
  )
}
