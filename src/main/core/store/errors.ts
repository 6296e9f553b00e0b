// The two ways the store says "no": the database cannot be opened safely, or a caller passed bad input.
// Both are plain Errors with a message a person can read, so the HTTP/IPC layers can pass them on as-is.

export type StoreOpenErrorKind = 'newer-version' | 'unreadable' | 'migration-failed'

/**
 * Opening was refused. The store never "repairs" a file it does not understand by starting over:
 * losing a support team's history is worse than refusing to start.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError'
  readonly kind: StoreOpenErrorKind
  readonly file: string

  constructor(kind: StoreOpenErrorKind, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.kind = kind
    this.file = file
  }
}

/** Input from outside (HTTP, IPC, an integration) that the store will not accept. */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError'
}
