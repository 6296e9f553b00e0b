// What a settings section shows until its data is in: "Loading …", or why it could not be loaded with a way to
// try again.
export interface LoadStateProps {
  /** What is loaded, as in "Could not load the knowledge base." */
  what: string
  /** The reason loading failed; null while it is still loading. */
  error: string | null
  onRetry(): void
  testId: string
}

export function LoadState({ what, error, onRetry, testId }: LoadStateProps) {
  if (error === null)
    return (
      <p className="muted small" role="status">
        Loading {what}…
      </p>
    )
  return (
    <div className="integration-load-error" role="alert">
      <p className="field-error" data-testid={testId}>
        Could not load {what}. {error}
      </p>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  )
}
