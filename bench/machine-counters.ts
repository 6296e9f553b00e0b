// Machine-wide counters read around each phase. Other work on the machine (a test run, a browser) competes
// for the same 2 cores, and a burst of connections can overflow a listen queue, after which the kernel
// drops SYNs and the client retries after 1 s, 3 s, 7 s: both show up as latency that is not the relay's.
// Reporting them next to the numbers lets a reader tell the difference.
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'

export interface MachineSnapshot {
  busyMs: number
  totalMs: number
  tcp: TcpCounters | undefined
}

export interface TcpCounters {
  /** Connections dropped because a listen queue was full (Linux TcpExt ListenOverflows). */
  listenOverflows: number
  /** SYNs sent again, i.e. connects that had to wait for a retry (TcpExt TCPSynRetrans). */
  synRetrans: number
}

export interface MachineDelta {
  /** All CPUs' busy time over wall time, in the same unit as per-process CPU %: 100 = one core. */
  busyPercent: number
  tcp: TcpCounters | undefined
}

function readTcpCounters(): TcpCounters | undefined {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n')
    const at = lines.findIndex((line) => line.startsWith('TcpExt:'))
    const names = lines[at]?.split(/\s+/) ?? []
    const values = lines[at + 1]?.split(/\s+/) ?? []
    const value = (name: string): number => Number(values[names.indexOf(name)])
    const counters = { listenOverflows: value('ListenOverflows'), synRetrans: value('TCPSynRetrans') }
    return Number.isFinite(counters.listenOverflows) && Number.isFinite(counters.synRetrans) ? counters : undefined
  } catch {
    // Not Linux, or no procfs: the columns then read "–".
    return undefined
  }
}

export function machineSnapshot(): MachineSnapshot {
  let busyMs = 0
  let totalMs = 0
  for (const { times } of cpus()) {
    const busy = times.user + times.nice + times.sys + times.irq
    busyMs += busy
    totalMs += busy + times.idle
  }
  return { busyMs, totalMs, tcp: readTcpCounters() }
}

export function machineDelta(from: MachineSnapshot, to: MachineSnapshot): MachineDelta {
  const total = to.totalMs - from.totalMs
  const cores = cpus().length
  return {
    busyPercent: total > 0 ? ((to.busyMs - from.busyMs) / total) * cores * 100 : Number.NaN,
    tcp:
      from.tcp && to.tcp
        ? { listenOverflows: to.tcp.listenOverflows - from.tcp.listenOverflows, synRetrans: to.tcp.synRetrans - from.tcp.synRetrans }
        : undefined,
  }
}

/** 1-minute load average, where the OS has one (not on Windows). */
export function loadAverage(): number {
  return loadavg()[0] ?? Number.NaN
}
