// Figures shown under each draft: time to first token, tokens per second and token counts. Pure.
import type { TokenUsage } from '../../../shared/domain'

/**
 * Output tokens per second of generation: the time before the first token is the model thinking (and the
 * network), not producing text, so it is left out. Null when a figure is missing or the window is empty.
 */
export function tokensPerSecond(
  outputTokens: number | null | undefined,
  durationMs: number | null | undefined,
  firstTokenMs: number | null | undefined,
): number | null {
  if (outputTokens === null || outputTokens === undefined || durationMs === null || durationMs === undefined) return null
  const generatingMs = durationMs - (firstTokenMs ?? 0)
  if (generatingMs <= 0 || outputTokens < 0) return null
  return outputTokens / (generatingMs / 1000)
}

export function formatDuration(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return null
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return `${minutes} min ${seconds} s`
}

export function formatRate(tokensPerSec: number | null): string | null {
  if (tokensPerSec === null || !Number.isFinite(tokensPerSec)) return null
  return `${tokensPerSec >= 100 ? Math.round(tokensPerSec) : tokensPerSec.toFixed(1)} tok/s`
}

const count = new Intl.NumberFormat('en-US')

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : count.format(n)
}

export interface DraftFigures {
  model: string | null
  firstToken: string | null
  rate: string | null
  prompt: string
  output: string
  total: string
  hasUsage: boolean
}

export function draftFigures(input: {
  model: string | null
  usage: TokenUsage | null
  firstTokenMs: number | null
  durationMs: number | null
}): DraftFigures {
  const usage = input.usage
  return {
    model: input.model,
    firstToken: formatDuration(input.firstTokenMs),
    rate: formatRate(tokensPerSecond(usage?.outputTokens, input.durationMs, input.firstTokenMs)),
    prompt: formatCount(usage?.promptTokens),
    output: formatCount(usage?.outputTokens),
    total: formatCount(usage?.totalTokens),
    hasUsage: !!usage && (usage.promptTokens !== null || usage.outputTokens !== null || usage.totalTokens !== null),
  }
}
