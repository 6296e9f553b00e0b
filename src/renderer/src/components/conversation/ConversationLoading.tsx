/** The conversation view until its transcript has loaded, or why it could not be. */
export function ConversationLoading({ loading, error, onRetry }: { loading: boolean; error: string | null; onRetry(): void }) {
  return (
    <main className="conversation conversation-loading" aria-busy={loading} data-testid="conversation-view">
      {error ? (
        <div className="list-empty">
          <p>Could not open this conversation: {error}</p>
          <button type="button" className="button" onClick={onRetry}>
            Retry
          </button>
        </div>
      ) : (
        <div className="draft-waiting">
          <span className="spinner" aria-hidden="true" />
          Loading…
        </div>
      )}
    </main>
  )
}
