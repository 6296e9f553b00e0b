// The renderer-facing API over the core: the one service behind IPC (desktop) and the REST routes (web mode), and
// the integration-facing methods the local server uses. Every refusal is an ApiError with a code.
// The service holds no logic of its own: each method lives in the area module that holds its kind of work
// (conversations-api.ts, drafts-api.ts, ...), and ApiService answers to every public method of every area, under
// the same name (the static block below), so adding a method to an area is all it takes to serve it. Arguments of the
// declared methods (src/shared/api-contract.ts) are then parsed once, at the entry, by checkArguments, whoever the
// caller: the bodies get parsed values. The transports only shape their raw input into arguments.
import type { SupportConsoleApi } from '../../../shared/api'
import { checkArguments } from '../../../shared/api-contract'
import type { ApiServiceDeps } from './api-deps'
import { BackupsApi } from './backups-api'
import { ConversationsApi } from './conversations-api'
import { DraftsApi } from './drafts-api'
import { ExportApi } from './export-api'
import { IntegrationKeysApi } from './integration-keys-api'
import { IntegrationStreams } from './integration-streams'
import { KnowledgeApi } from './knowledge-api'
import { ReviewApi } from './review-api'
import { SettingsApi } from './settings-api'
import { SnippetsApi } from './snippets-api'

export type { ApiServiceDeps, EndpointControl } from './api-deps'
export type { BulkExportFormat } from '../../../shared/review'

/** The areas, each built from the same deps; a method name may belong to one area only (checked at load). */
const AREAS = {
  conversations: ConversationsApi,
  drafts: DraftsApi,
  streams: IntegrationStreams,
  settings: SettingsApi,
  integrationKeys: IntegrationKeysApi,
  knowledge: KnowledgeApi,
  snippets: SnippetsApi,
  review: ReviewApi,
  exports: ExportApi,
  backups: BackupsApi,
} as const
type AreaName = keyof typeof AREAS
type Areas = { [A in AreaName]: InstanceType<(typeof AREAS)[A]> }
/** An area's public methods (TypeScript's keyof sees no private member; areas keep helpers in #private methods). */
type Public<T> = { [K in keyof T]: T[K] }

// The class below has every public method of every area: the compiler checks that together they implement the
// renderer-facing API, signatures included.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- this is how the class gets its areas' methods
export interface ApiService
  extends
    Public<ConversationsApi>,
    Public<DraftsApi>,
    Public<IntegrationStreams>,
    Public<SettingsApi>,
    Public<IntegrationKeysApi>,
    Public<KnowledgeApi>,
    Public<SnippetsApi>,
    Public<ReviewApi>,
    Public<ExportApi>,
    Public<BackupsApi> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class ApiService implements SupportConsoleApi {
  readonly #areas: Areas

  constructor(deps: ApiServiceDeps) {
    this.#areas = Object.fromEntries(Object.entries(AREAS).map(([name, Area]) => [name, new Area(deps)])) as Areas
  }

  // Each area method goes on the prototype as a call into that area (a static block, so it may read #areas).
  static {
    const proto = ApiService.prototype as unknown as Record<string, unknown>
    for (const [area, Area] of Object.entries(AREAS) as [AreaName, (typeof AREAS)[AreaName]][]) {
      for (const name of Object.getOwnPropertyNames(Area.prototype)) {
        if (name === 'constructor') continue
        if (Object.hasOwn(proto, name)) throw new Error(`ApiService: ${name} is defined by two areas`)
        const call = function (this: ApiService, ...args: unknown[]): unknown {
          const target = this.#areas[area] as unknown as Record<string, (...a: unknown[]) => unknown>
          return (target[name] as (...a: unknown[]) => unknown).apply(target, args)
        }
        Object.defineProperty(call, 'name', { value: name })
        Object.defineProperty(proto, name, { value: call, writable: true, configurable: true, enumerable: false })
      }
    }
  }
}

// Every declared method parses its arguments with its declaration before its body runs.
checkArguments(ApiService)
