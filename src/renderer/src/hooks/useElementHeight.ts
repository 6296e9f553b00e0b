import { useLayoutEffect, useState, type RefObject } from 'react'

/** The element's height (clientHeight), kept current as it resizes; `initial` until it is measured. */
export function useElementHeight(ref: RefObject<HTMLElement | null>, initial: number): number {
  const [height, setHeight] = useState(initial)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const observer = new ResizeObserver(() => setHeight(el.clientHeight))
    observer.observe(el)
    setHeight(el.clientHeight)
    return () => observer.disconnect()
  }, [ref])
  return height
}
