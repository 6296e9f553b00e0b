import { useNow } from '../context/clock'
import { relativeTime } from '../state/format-time'

/** "5 min ago", "Yesterday": a timestamp as read in a list, kept current by the clock. */
export function RelativeTime({ iso, className, title }: { iso: string; className: string; title?: string }) {
  return (
    <time className={className} dateTime={iso} title={title}>
      {relativeTime(iso, useNow())}
    </time>
  )
}
