import { describe, expect, it } from 'vitest'
import { describeDraftProblem } from '../../src/renderer/src/state/draft-errors'
import { fullTime, relativeTime } from '../../src/renderer/src/state/format-time'
import { followAfterScroll } from '../../src/renderer/src/state/scroll-follow'
import { isMacPlatform, isSubmitChord, matchGlobalShortcut, SHORTCUTS, withShortcut, type KeyLike } from '../../src/renderer/src/state/shortcuts'

const key = (k: Partial<KeyLike> & { key: string }): KeyLike => ({ ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...k })

describe('shortcuts', () => {
  it('uses Ctrl off the Mac and Cmd on it', () => {
    expect(matchGlobalShortcut(key({ key: 'd', ctrlKey: true }), false, true)).toBe('draft')
    expect(matchGlobalShortcut(key({ key: 'd', metaKey: true }), true, true)).toBe('draft')
    expect(matchGlobalShortcut(key({ key: 'd', metaKey: true }), false, true)).toBeNull()
    expect(matchGlobalShortcut(key({ key: 'd', ctrlKey: true }), true, true)).toBeNull()
    expect(matchGlobalShortcut(key({ key: 'K', ctrlKey: true }), false, false)).toBe('search')
  })

  it('matches letters by physical key on other keyboard layouts', () => {
    expect(matchGlobalShortcut(key({ key: 'в', code: 'KeyD', ctrlKey: true }), false, false)).toBe('draft')
  })

  it('does not take Alt+D (the browser’s address bar) or shifted chords', () => {
    expect(matchGlobalShortcut(key({ key: 'd', altKey: true }), false, false)).toBeNull()
    expect(matchGlobalShortcut(key({ key: 'D', ctrlKey: true, shiftKey: true }), false, false)).toBeNull()
  })

  it('stops with a bare Escape, and opens help with ? only outside text fields', () => {
    expect(matchGlobalShortcut(key({ key: 'Escape' }), false, true)).toBe('stop')
    expect(matchGlobalShortcut(key({ key: 'Escape', shiftKey: true }), false, true)).toBeNull()
    expect(matchGlobalShortcut(key({ key: '?', shiftKey: true }), false, false)).toBe('help')
    expect(matchGlobalShortcut(key({ key: '?', shiftKey: true }), false, true)).toBeNull()
  })

  it('submits with Ctrl/Cmd+Enter only', () => {
    expect(isSubmitChord(key({ key: 'Enter', ctrlKey: true }), false)).toBe(true)
    expect(isSubmitChord(key({ key: 'Enter', metaKey: true }), true)).toBe(true)
    expect(isSubmitChord(key({ key: 'Enter' }), false)).toBe(false)
    expect(isSubmitChord(key({ key: 'Enter', ctrlKey: true, shiftKey: true }), false)).toBe(false)
  })

  it('labels controls with their shortcut for each platform', () => {
    expect(withShortcut('Draft reply', 'draft', false)).toBe('Draft reply (Ctrl+D)')
    expect(withShortcut('Draft reply', 'draft', true)).toBe('Draft reply (⌘D)')
    expect(isMacPlatform('MacIntel')).toBe(true)
    expect(isMacPlatform('Linux x86_64')).toBe(false)
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length)
  })
})

describe('followAfterScroll', () => {
  const at = (scrollTop: number, scrollHeight = 2000, clientHeight = 500) => ({ scrollTop, scrollHeight, clientHeight })

  it('keeps following at the bottom and while content grows under it', () => {
    expect(followAfterScroll(true, 1500, at(1500))).toBe(true)
    // Text arrived after the programmatic scroll: short of the bottom, but the agent did not move up.
    expect(followAfterScroll(true, 1500, at(1500, 2600))).toBe(true)
  })

  it('stops following when the agent scrolls up, and resumes at the bottom', () => {
    expect(followAfterScroll(true, 1500, at(1200))).toBe(false)
    expect(followAfterScroll(false, 1200, at(1300))).toBe(false)
    expect(followAfterScroll(false, 1300, at(1490))).toBe(true)
  })
})

describe('describeDraftProblem', () => {
  it('says nothing for a complete draft', () => {
    expect(describeDraftProblem('complete', null)).toBeNull()
    expect(describeDraftProblem(null, null)).toBeNull()
  })

  it('offers Retry only where retrying can help', () => {
    expect(describeDraftProblem('error', { kind: 'overloaded', retryable: true, message: 'busy' })).toMatchObject({
      action: 'retry',
      message: 'busy',
      tone: 'error',
    })
    expect(describeDraftProblem('blocked', { kind: 'blocked', retryable: false, message: 'no' })).toMatchObject({ action: null })
    expect(describeDraftProblem('error', { kind: 'quota', retryable: false, message: 'limit' })?.action).toBeNull()
  })

  it('sends key and model problems to Settings', () => {
    expect(describeDraftProblem('error', { kind: 'auth', retryable: false, message: 'No Gemini API key is set.' })?.action).toBe('settings')
    expect(describeDraftProblem('error', { kind: 'invalid-input', retryable: false, message: 'no model' })?.action).toBe('settings')
  })

  it('treats a stop as a notice', () => {
    expect(describeDraftProblem('stopped', { kind: 'cancelled', retryable: true, message: 'Stopped by the agent.' })).toMatchObject({
      tone: 'notice',
      title: 'Draft stopped',
    })
  })
})

describe('relativeTime', () => {
  const now = new Date(2025, 2, 12, 15, 30)
  const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString()

  it('reads like a list of recent work', () => {
    expect(relativeTime(ago(20_000), now)).toBe('just now')
    expect(relativeTime(ago(5 * 60_000), now)).toBe('5 min ago')
    expect(relativeTime(new Date(2025, 2, 12, 9, 5).toISOString(), now, 'en-GB')).toBe('09:05')
    expect(relativeTime(new Date(2025, 2, 11, 9, 5).toISOString(), now)).toBe('Yesterday')
    expect(relativeTime(new Date(2025, 0, 3).toISOString(), now, 'en-GB')).toBe('3 Jan')
    expect(relativeTime(new Date(2023, 0, 3).toISOString(), now, 'en-GB')).toBe('3 Jan 2023')
    expect(relativeTime('not a date', now)).toBe('')
    expect(fullTime('not a date')).toBe('')
  })
})
