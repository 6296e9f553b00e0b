// The settings the agent sees and changes; a change that moves the endpoint or the knowledge base takes effect at once.
import type { SettingsUpdate, SettingsView } from '../../../shared/api'
import type { ApiServiceDeps } from './api-deps'

export class SettingsApi {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'settings' | 'endpoint' | 'knowledge'>) {}

  async getSettings(): Promise<SettingsView> {
    return this.deps.settings.view(this.deps.endpoint.state())
  }

  /** A new port moves the endpoint at once; the same port again retries one that is off. Either way the view says how it went. */
  async updateSettings(update: SettingsUpdate): Promise<SettingsView> {
    const { endpoint, settings } = this.deps
    const portBefore = settings.current.port
    await settings.update(update)
    // A new folder is indexed at once; the same one again is rescanned (it may have appeared since).
    if (update.knowledgeBaseDir !== undefined) await this.deps.knowledge.switchTo(settings.current.knowledgeBaseDir)
    if (update.port !== undefined && (update.port !== portBefore || endpoint.state().status === 'unavailable')) await endpoint.reopen()
    return settings.view(endpoint.state())
  }
}
