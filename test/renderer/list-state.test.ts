import { describe, expect, it } from 'vitest'
import type { Conversation, ConversationHit } from '../../src/shared/domain'
import {
  appendPage,
  applyConversation,
  emptyList,
  mergeFirstPage,
  moveToTop,
  removeConversation,
  replaceConversation,
} from '../../src/renderer/src/state/conversation-list'
import { computeWindow, scrollTopToReveal, shouldLoadMore } from '../../src/renderer/src/state/list-window'

const conv = (id: number, title = `C${id}`): ConversationHit => ({
  id,
  title,
  source: 'app',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  messageCount: 0,
  summary: null,
  hit: null,
})

describe('conversation list state', () => {
  it('appends pages without repeating a conversation that moved between pages', () => {
    let state = appendPage(emptyList(''), { conversations: [conv(3), conv(2)], nextCursor: 'c1' }, true)
    expect(state).toMatchObject({ loading: false, nextCursor: 'c1' })
    state = appendPage(state, { conversations: [conv(2), conv(1)], nextCursor: null }, false)
    expect(state.items.map((c) => c.id)).toEqual([3, 2, 1])
    expect(state.nextCursor).toBeNull()
  })

  it('replaces the items with a fresh first page', () => {
    const state = appendPage(emptyList(''), { conversations: [conv(3)], nextCursor: null }, true)
    expect(appendPage(state, { conversations: [conv(9)], nextCursor: null }, true).items.map((c) => c.id)).toEqual([9])
  })

  it('moves a changed conversation to the top of the recent list', () => {
    const state = appendPage(emptyList(''), { conversations: [conv(3), conv(2), conv(1)], nextCursor: null }, true)
    const changed: Conversation = { ...conv(1, 'Renamed') }
    expect(moveToTop(state, changed).items.map((c) => `${c.id}:${c.title}`)).toEqual(['1:Renamed', '3:C3', '2:C2'])
    expect(moveToTop(state, conv(4)).items.map((c) => c.id)).toEqual([4, 3, 2, 1])
  })

  it('updates a search result in place, keeping its hit', () => {
    const hit = { ...conv(2), hit: { messageId: 8, snippet: 'x' } }
    const state = appendPage(emptyList('parcel'), { conversations: [conv(3), hit], nextCursor: null }, true)
    const next = moveToTop(state, { ...conv(2, 'New title') })
    expect(next.items.map((c) => c.id)).toEqual([3, 2])
    expect(next.items[1]).toMatchObject({ title: 'New title', hit: { messageId: 8 } })
    expect(moveToTop(state, conv(99))).toBe(state)
  })

  it('replaces and removes', () => {
    const state = appendPage(emptyList(''), { conversations: [conv(3), conv(2)], nextCursor: null }, true)
    expect(replaceConversation(state, conv(2, 'x')).items[1]?.title).toBe('x')
    expect(replaceConversation(state, conv(7))).toBe(state)
    expect(removeConversation(state, 3).items.map((c) => c.id)).toEqual([2])
    expect(removeConversation(state, 42)).toBe(state)
  })
})

describe('list window', () => {
  it('renders only the visible rows plus overscan, however long the list', () => {
    const w = computeWindow({ scrollTop: 64 * 5000, viewportHeight: 640, rowHeight: 64, count: 10_000, overscan: 5 })
    expect(w).toEqual({ start: 4995, end: 5016 })
    expect(w.end - w.start).toBeLessThan(30)
  })

  it('clamps at both ends', () => {
    expect(computeWindow({ scrollTop: 0, viewportHeight: 640, rowHeight: 64, count: 3, overscan: 5 })).toEqual({ start: 0, end: 3 })
    expect(computeWindow({ scrollTop: 99_999, viewportHeight: 640, rowHeight: 64, count: 100, overscan: 5 })).toEqual({ start: 94, end: 100 })
    expect(computeWindow({ scrollTop: -50, viewportHeight: 640, rowHeight: 64, count: 0, overscan: 5 })).toEqual({ start: 0, end: 0 })
  })

  it('says how to scroll a row into view', () => {
    expect(scrollTopToReveal(10, 50, 0, 300)).toBe(250)
    expect(scrollTopToReveal(2, 50, 200, 300)).toBe(100)
    expect(scrollTopToReveal(5, 50, 200, 300)).toBeNull()
  })

  it('asks for the next page near the end of what is loaded', () => {
    expect(shouldLoadMore({ start: 30, end: 45 }, 50, 10)).toBe(true)
    expect(shouldLoadMore({ start: 0, end: 20 }, 50, 10)).toBe(false)
    expect(shouldLoadMore({ start: 0, end: 0 }, 0, 10)).toBe(false)
  })
})

describe('applyConversation and mergeFirstPage', () => {
  it('moves a conversation up only when it changed', () => {
    const state = appendPage(emptyList(''), { conversations: [conv(3), conv(2), conv(1)], nextCursor: null }, true)
    expect(applyConversation(state, { ...conv(1, 'same time') }).items.map((c) => c.id)).toEqual([3, 2, 1])
    expect(applyConversation(state, { ...conv(1), updatedAt: '2025-02-01T00:00:00.000Z' }).items.map((c) => c.id)).toEqual([1, 3, 2])
  })

  it('puts conversations started elsewhere on top and keeps the rest', () => {
    const state = appendPage(emptyList(''), { conversations: [conv(3), conv(2), conv(1)], nextCursor: 'x' }, true)
    const merged = mergeFirstPage(state, { conversations: [conv(5), conv(3)], nextCursor: 'y' })
    expect(merged.items.map((c) => c.id)).toEqual([5, 3, 2, 1])
    expect(merged.nextCursor).toBe('x')
  })
})
