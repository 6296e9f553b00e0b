// Shown instead of the console when it cannot reach its backend at all (in a browser: opened without the
// token link, or the server is not running).
export function StartupError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <main className="startup-error" data-testid="startup-error">
      <div className="startup-error-card">
        <h1>Support Console cannot start</h1>
        <p className="startup-error-message">{message}</p>
        <p className="muted">Check that Support Console is still running, then try again.</p>
        {onRetry && (
          <button type="button" className="button button-primary" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </main>
  )
}
