// The review filter the sidebar applies to the conversation list (with the search box's words as `q`), how it is
// kept in the web console's address bar so a link reopens it, and how it is named on its chips.
// Pure: unit-tested under Node.
import {
  DRAFT_OUTCOMES,
  filterFromQuery,
  filterToQuery,
  type ConversationFilter,
  type DraftOutcome,
  type FeedbackFilter,
  type Tag,
  queryFields,
} from '../../../shared/review'

/** The filter without its words: the search box owns `q`. */
export type ReviewFilter = Omit<ConversationFilter, 'q'>

export const NO_FILTER: ReviewFilter = {}

/** The console's views a link can name besides its filter (`?view=dashboard`). */
export const VIEW_PARAM = 'view'
export type ConsoleView = 'conversations' | 'dashboard'

export const OUTCOME_LABEL: Record<DraftOutcome, string> = {
  complete: 'Complete',
  stopped: 'Stopped',
  error: 'Failed',
  blocked: 'Blocked',
  interrupted: 'Interrupted',
  truncated: 'Cut off',
}
export const FEEDBACK_LABEL: Record<FeedbackFilter, string> = { up: 'Rated up', down: 'Rated down', none: 'Not rated' }

/** What a page address holds: the filter, the search words and the view. Invalid values are dropped, not fatal. */
export function readLocation(search: string): { filter: ReviewFilter; query: string; view: ConsoleView } {
  const params = new URLSearchParams(search)
  const { q, ...filter } = filterFromQuery(queryFields(params))
  return { filter, query: q ?? '', view: params.get(VIEW_PARAM) === 'dashboard' ? 'dashboard' : 'conversations' }
}

/** The address's query for a filter, words and view, with the spec's parameter names; '' when there is nothing. */
export function locationSearch(filter: ReviewFilter, query: string, view: ConsoleView): string {
  const params = new URLSearchParams(filterToQuery({ ...filter, q: query.trim() || undefined }))
  if (view !== 'conversations') params.set(VIEW_PARAM, view)
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** A stable key: two filters with the same meaning give the same key (the list reloads only when it changes). */
export function filterKey(filter: ConversationFilter): string {
  const params = new URLSearchParams(filterToQuery(filter))
  params.sort()
  return params.toString()
}

export function isEmptyFilter(filter: ReviewFilter): boolean {
  return filterKey(filter) === ''
}

/** How many fields the filter sets (the Filters button's badge). */
export function activeFieldCount(filter: ReviewFilter): number {
  return [...new URLSearchParams(filterKey(filter)).keys()].length
}

type ListField = 'status' | 'source' | 'tag' | 'feedback' | 'model'
type ListValue<F extends ListField> = NonNullable<ReviewFilter[F]>[number]

/** Adds the value to the field's list, or takes it out; an empty list removes the field. */
export function toggleValue<F extends ListField>(filter: ReviewFilter, field: F, value: ListValue<F>): ReviewFilter {
  const current = (filter[field] ?? []) as ListValue<F>[]
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value]
  return setField(filter, field, next.length > 0 ? (next as ReviewFilter[F]) : undefined)
}

/** Sets (or, with undefined or '', clears) one field. */
export function setField<F extends keyof ReviewFilter>(filter: ReviewFilter, field: F, value: ReviewFilter[F] | undefined): ReviewFilter {
  const next = { ...filter }
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete next[field]
  else next[field] = value
  return next
}

/** Comma-separated text (a source or model box) as a list, blanks and repeats dropped. */
export function listFromText(text: string): string[] | undefined {
  const items = [...new Set(text.split(',').map((s) => s.trim()))].filter((s) => s !== '')
  return items.length > 0 ? items : undefined
}

export interface FilterChip {
  field: keyof ReviewFilter
  label: string
}

/** One chip per field the filter sets, in words ("Status: Failed or Cut off"). */
export function filterChips(filter: ReviewFilter, tags: readonly Tag[]): FilterChip[] {
  const chips: FilterChip[] = []
  const tagName = (id: number): string => tags.find((t) => t.id === id)?.name ?? `#${id}`
  if (filter.from || filter.to) {
    const label = filter.from && filter.to ? `${filter.from} – ${filter.to}` : filter.from ? `From ${filter.from}` : `Until ${filter.to}`
    chips.push({ field: filter.from ? 'from' : 'to', label })
  }
  const outcomes = DRAFT_OUTCOMES.filter((o) => filter.status?.includes(o))
  if (outcomes.length > 0) chips.push({ field: 'status', label: `Draft: ${outcomes.map((o) => OUTCOME_LABEL[o]).join(' or ')}` })
  if (filter.source?.length) chips.push({ field: 'source', label: `Source: ${filter.source.join(' or ')}` })
  if (filter.tag?.length) chips.push({ field: 'tag', label: `Tag: ${filter.tag.map(tagName).join(' or ')}` })
  if (filter.feedback?.length) chips.push({ field: 'feedback', label: filter.feedback.map((f) => FEEDBACK_LABEL[f]).join(' or ') })
  if (filter.model?.length) chips.push({ field: 'model', label: `Model: ${filter.model.join(' or ')}` })
  if (filter.usedReply !== undefined) chips.push({ field: 'usedReply', label: filter.usedReply ? 'Reply sent' : 'No reply sent' })
  return chips
}

/** Removes what a chip stands for (a date chip clears both ends of the range). */
export function withoutChip(filter: ReviewFilter, field: keyof ReviewFilter): ReviewFilter {
  const next = setField(filter, field, undefined)
  return field === 'from' || field === 'to' ? setField(setField(next, 'from', undefined), 'to', undefined) : next
}
