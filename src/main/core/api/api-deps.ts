// What the API's areas are built from: the core's services, and what only the desktop app can do. ApiService
// receives them once and hands them to every area (conversations-api.ts, drafts-api.ts, ...).
import type { EndpointView } from '../../../shared/api'
import type { IntegrationKeys, IntegrationKeysFileError } from '../config/integration-keys'
import type { SettingsService } from '../config/settings-service'
import type { DraftingService } from '../drafting/drafting-service'
import type { LiveKnowledgeBase } from '../knowledge/live-knowledge-base'
import type { Backups } from '../store/backups'
import type { TranscriptStore } from '../store/transcript-store'
import type { StreamHub } from '../streaming/stream-hub'

export interface ApiServiceDeps {
  store: TranscriptStore
  drafting: DraftingService
  hub: StreamHub
  settings: SettingsService
  /** The local endpoint: shown in Settings, moved when Settings changes its port. */
  endpoint: EndpointControl
  /** The integration keys, or why their file was refused (then the key methods answer 'unavailable'). */
  integrationKeys: IntegrationKeys | IntegrationKeysFileError
  /** The knowledge base drafts are grounded in; Settings moves it to another folder. */
  knowledge: LiveKnowledgeBase
  /** Opens a file in its own application: the desktop app only (Electron's shell.openPath). */
  openFile?: (absolutePath: string) => Promise<void>
  /** Asks where to save an export (Electron's save dialog): the desktop app only; null when cancelled. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>
  /** The database's backups; without them the backup methods answer 'unavailable'. */
  backups?: Backups
}

/** The local endpoint as the API sees it. */
export interface EndpointControl {
  /** Where it listens, or why it does not (the desktop app runs on without it). */
  state(): Pick<EndpointView, 'url' | 'status' | 'problem'>
  /** Listens again on the port the settings now hold; a port that cannot be used leaves it off, with the reason. */
  reopen(): Promise<void>
}
