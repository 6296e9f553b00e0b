import { Icon } from './Icon'

/** What the workspace shows while no conversation is open: the way to start. */
export function Welcome({ creating, onNew }: { creating: boolean; onNew(): void }) {
  return (
    <main className="welcome" data-testid="welcome">
      <div className="welcome-card">
        <Icon name="message" size={32} />
        <h1>Pick a conversation</h1>
        <p className="muted">
          Choose one on the left, or start a new one and paste what the customer wrote. Gemini drafts the reply; you edit and use it.
        </p>
        <button type="button" className="button button-primary" onClick={onNew} disabled={creating}>
          <Icon name="plus" />
          New conversation
        </button>
        <p className="muted small">
          Press <kbd>?</kbd> for keyboard shortcuts.
        </p>
      </div>
    </main>
  )
}
