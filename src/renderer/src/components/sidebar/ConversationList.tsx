// The conversation list as the sidebar shows it: placeholder rows while the first page loads, a sentence
// when there is nothing (or it failed), otherwise the list box.
import { ConversationListBox, type ConversationListBoxProps } from './ConversationListBox'

export function ConversationList(props: ConversationListBoxProps) {
  const { state, onRetry } = props
  if (state.loading) {
    return (
      <div className="list-placeholder" data-testid="conversation-list-loading">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton-row" aria-hidden="true" />
        ))}
        <span className="visually-hidden">Loading conversations…</span>
      </div>
    )
  }

  if (state.items.length === 0) {
    return (
      <div className="list-empty" data-testid="conversation-list-empty">
        {state.error ? (
          <>
            <p>Could not load the conversations: {state.error}</p>
            <button type="button" className="button" onClick={onRetry}>
              Retry
            </button>
          </>
        ) : state.query !== '' ? (
          <p>
            No messages match <strong>“{state.query}”</strong>.
          </p>
        ) : (
          <p>No conversations yet. Start one with “New conversation”.</p>
        )}
      </div>
    )
  }

  return <ConversationListBox {...props} />
}
