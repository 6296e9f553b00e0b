// The knowledge base the running console uses, which Settings can move to another folder (or turn off) at any
// time. Drafting and the API read `current` at each use, so a switch applies to the next draft. Switches are
// serialised: the old base is closed (its watcher and index) before the new one opens the same knowledge.db,
// which it empties and rebuilds, since the index only ever holds one folder. The start-up scan runs in the
// background: retrieval answers from what is indexed so far, and the console need not wait for a large folder.
import { KnowledgeBase, type KnowledgeBaseOptions } from './knowledge-base'

export type LiveKnowledgeBaseOptions = Omit<KnowledgeBaseOptions, 'folder'>

export class LiveKnowledgeBase {
  private base: KnowledgeBase | undefined
  private startError: string | null = null
  private switching: Promise<void> = Promise.resolve()
  private closed = false

  constructor(private readonly options: LiveKnowledgeBaseOptions) {}

  /** The base in use, or undefined when no folder is set. */
  get current(): KnowledgeBase | undefined {
    return this.base
  }

  /** Why the base could not be started (the folder could not be followed), beyond what its status says. */
  get problem(): string | null {
    return this.startError
  }

  /**
   * Moves to `folder` (absolute; null turns the knowledge base off). Resolves once the new base is open and its
   * scan has been queued; the scan itself goes on in the background (`idle()` waits for it).
   */
  switchTo(folder: string | null): Promise<void> {
    const next = this.switching.then(async () => {
      if (this.closed) return
      if (this.base && this.base.folder === folder) {
        // The same folder again (Settings saved once more): look again, e.g. for a folder that did not exist before.
        this.base.rescan().catch(() => undefined)
        return
      }
      if (!this.base && folder === null) return
      const old = this.base
      this.base = undefined
      this.startError = null
      await old?.close()
      if (folder === null) return
      let base: KnowledgeBase
      try {
        base = new KnowledgeBase({ ...this.options, folder })
      } catch (error) {
        // The index file could not be opened (a data folder that cannot be written): drafts go on without it.
        this.startError = `The knowledge base could not be opened: ${error instanceof Error ? error.message : String(error)}`
        return
      }
      this.base = base
      base.start().catch((error: unknown) => {
        // A folder that cannot be followed (too many files for the OS's watch limit, ...): the index still answers.
        if (this.base === base)
          this.startError = `The knowledge base could not follow ${folder}: ${error instanceof Error ? error.message : String(error)}`
      })
    })
    this.switching = next.catch(() => undefined)
    return next
  }

  /** Resolves once a switch in progress and the current base's queued work (scans, folder changes) are done. */
  async idle(): Promise<void> {
    await this.switching
    await this.base?.idle()
  }

  /** Closes the current base; later switches do nothing. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true
    await this.switching
    const base = this.base
    this.base = undefined
    await base?.close()
  }
}
