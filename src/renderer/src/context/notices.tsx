// Two ways of telling the agent something: toasts (visible, brief: "Copied", "Conversation deleted") and
// the screen-reader announcer (draft started / ready / stopped; never every token).
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react'

type Tone = 'info' | 'success' | 'error'

interface Toast {
  id: number
  text: string
  tone: Tone
}

interface NoticesValue {
  toast(text: string, tone?: Tone): void
  announce(text: string): void
}

const NoticesContext = createContext<NoticesValue | null>(null)

const TOAST_MS = 4000

export function NoticesProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const [announcement, setAnnouncement] = useState('')
  const nextId = useRef(1)
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>())

  useEffect(() => {
    const pending = timers.current
    return () => pending.forEach(clearTimeout)
  }, [])

  const later = useCallback((fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.current.delete(timer)
      fn()
    }, ms)
    timers.current.add(timer)
  }, [])

  const toast = useCallback(
    (text: string, tone: Tone = 'info') => {
      const id = nextId.current++
      setToasts((list) => [...list.slice(-2), { id, text, tone }])
      later(() => setToasts((list) => list.filter((t) => t.id !== id)), TOAST_MS)
    },
    [later],
  )

  const announce = useCallback(
    (text: string) => {
      // Emptied first, so the same sentence twice in a row is announced twice.
      setAnnouncement('')
      later(() => setAnnouncement(text), 50)
    },
    [later],
  )

  return (
    <NoticesContext.Provider value={{ toast, announce }}>
      {children}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="live-region">
        {announcement}
      </div>
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} data-testid="toast">
            {t.text}
          </div>
        ))}
      </div>
    </NoticesContext.Provider>
  )
}

export function useNotices(): NoticesValue {
  const value = useContext(NoticesContext)
  if (!value) throw new Error('useNotices needs a <NoticesProvider> above it')
  return value
}
