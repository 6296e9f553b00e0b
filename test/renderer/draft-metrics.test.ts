import { describe, expect, it } from 'vitest'
import { draftFigures, formatDuration, formatRate, tokensPerSecond } from '../../src/renderer/src/state/draft-metrics'

describe('tokensPerSecond', () => {
  it('divides output tokens by the generating time, leaving out the wait for the first token', () => {
    expect(tokensPerSecond(100, 2500, 500)).toBe(50)
    expect(tokensPerSecond(30, 1000, null)).toBe(30)
  })

  it('is null when a figure is missing or the window is empty', () => {
    expect(tokensPerSecond(null, 1000, 100)).toBeNull()
    expect(tokensPerSecond(10, null, 100)).toBeNull()
    expect(tokensPerSecond(10, 500, 500)).toBeNull()
    expect(tokensPerSecond(10, 400, 500)).toBeNull()
  })
})

describe('formatting', () => {
  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('0 ms')
    expect(formatDuration(321.6)).toBe('322 ms')
    expect(formatDuration(1234)).toBe('1.23 s')
    expect(formatDuration(12_345)).toBe('12.3 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(formatDuration(null)).toBeNull()
    expect(formatDuration(-1)).toBeNull()
  })

  it('formats rates', () => {
    expect(formatRate(45.25)).toBe('45.3 tok/s')
    expect(formatRate(151.4)).toBe('151 tok/s')
    expect(formatRate(null)).toBeNull()
  })

  it('gathers a draft’s figures', () => {
    expect(
      draftFigures({ model: 'gemini-x', usage: { promptTokens: 1200, outputTokens: 100, totalTokens: 1300 }, firstTokenMs: 500, durationMs: 2500 }),
    ).toEqual({
      model: 'gemini-x',
      firstToken: '500 ms',
      rate: '50.0 tok/s',
      prompt: '1,200',
      output: '100',
      total: '1,300',
      hasUsage: true,
    })
    expect(draftFigures({ model: null, usage: null, firstTokenMs: null, durationMs: null })).toMatchObject({
      rate: null,
      output: '–',
      hasUsage: false,
    })
  })
})
