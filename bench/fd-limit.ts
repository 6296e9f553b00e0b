// 1,000 streams are 1,000 sockets in the clients, 2,000 in the core (SSE in, Gemini out) and 1,000 in
// the emulator. Node raises its own soft RLIMIT_NOFILE to the hard limit at start-up (and its children
// inherit that), so `ulimit -n` in the shell does not matter; only the hard limit does, and an
// unprivileged process cannot raise it. So this reads the limit for the report and warns when it is short.
import { execFileSync } from 'node:child_process'

export interface FdLimit {
  /** As this process has it, i.e. after Node raised it. */
  soft: number
  hard: number
}

const parseLimit = (text: string | undefined): number => (text === undefined || text.trim() === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text))

export function readFdLimit(): FdLimit | undefined {
  if (process.platform === 'win32') return undefined
  try {
    // A child shell inherits our limits, so this reports this process's own.
    const [soft, hard] = execFileSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n')
    return { soft: parseLimit(soft), hard: parseLimit(hard) }
  } catch {
    return undefined
  }
}

/** A warning for the report when the limit cannot hold `needed` descriptors in one process, else undefined. */
export function fdLimitWarning(limit: FdLimit | undefined, needed: number): string | undefined {
  if (!limit || limit.soft >= needed) return undefined
  return (
    `WARNING: open files are limited to ${limit.soft} per process (hard limit ${limit.hard}); the core needs about ${needed} ` +
    'at 1,000 clients, so expect EMFILE failures there. Raise the hard limit (ulimit -Hn as root, or limits.conf) and re-run.'
  )
}
