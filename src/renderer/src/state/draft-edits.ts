// The agent's unsent edits to a reply, per conversation, kept while the console is open so switching to
// another conversation and back does not lose them. In memory only: a reply in progress is not a record.

const edits = new Map<number, string>()

export const draftEdits = {
  get: (conversationId: number): string | null => edits.get(conversationId) ?? null,
  set: (conversationId: number, text: string): void => {
    edits.set(conversationId, text)
  },
  clear: (conversationId: number): void => {
    edits.delete(conversationId)
  },
}
