// The time relative timestamps ("5 min ago") are measured from, ticking once a minute. Only what shows a
// time reads it, so each tick re-renders those few elements rather than the whole console.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'

const TICK_MS = 60_000

const ClockContext = createContext<Date | null>(null)

export function ClockProvider({ children }: { children: ReactNode }) {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), TICK_MS)
    return () => clearInterval(timer)
  }, [])
  return <ClockContext.Provider value={now}>{children}</ClockContext.Provider>
}

/** The current time, to the minute. */
export function useNow(): Date {
  const now = useContext(ClockContext)
  if (!now) throw new Error('useNow needs a <ClockProvider> above it')
  return now
}
