// CPU time of a process and all its descendants, from /proc (Linux): how the bench measures gunicorn, whose
// workers are Python processes it cannot ask. Only processes alive at both readings count, which holds for
// gunicorn's master and workers over a phase.
import { readdirSync, readFileSync } from 'node:fs'

/** Linux's USER_HZ, the unit of utime and stime in /proc/<pid>/stat (100 on every mainstream distribution). */
const TICKS_PER_SECOND = 100

interface ProcStat {
  ppid: number
  cpuTicks: number
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    // fields[0] is field 3 (state): ppid is field 4, utime 14 and stime 15.
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return undefined
  }
}

/** User + system CPU of `root` and every descendant alive now, in ms; NaN where /proc is not there. */
export function processTreeCpuMs(root: number): number {
  let pids: number[]
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return Number.NaN
  }
  const stats = new Map<number, ProcStat>()
  for (const pid of pids) {
    const stat = readStat(pid)
    if (stat) stats.set(pid, stat)
  }
  const inTree = new Set([root])
  // Parents come before their children in no particular order: repeat until nothing new joins.
  for (let grew = true; grew;) {
    grew = false
    for (const [pid, stat] of stats) {
      if (!inTree.has(pid) && inTree.has(stat.ppid)) {
        inTree.add(pid)
        grew = true
      }
    }
  }
  let ticks = 0
  for (const pid of inTree) ticks += stats.get(pid)?.cpuTicks ?? 0
  return (ticks * 1000) / TICKS_PER_SECOND
}
