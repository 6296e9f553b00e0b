import { describe, expect, it } from 'vitest'
import { safeHref } from '../../src/renderer/src/markdown/safe-url'

describe('safeHref', () => {
  it.each([
    ['https://example.com/help?a=1#x', 'https://example.com/help?a=1#x'],
    ['http://example.com', 'http://example.com/'],
    ['  https://example.com/path  ', 'https://example.com/path'],
    ['mailto:support@example.com', 'mailto:support@example.com'],
    ['HTTPS://EXAMPLE.com', 'https://example.com/'],
  ])('keeps %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected)
  })

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\nscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '/settings',
    '#token=abc',
    '//evil.example.com',
    'ftp://example.com',
    'http://',
    '',
  ])('refuses %j', (input) => {
    expect(safeHref(input)).toBeNull()
  })

  it('refuses null and undefined', () => {
    expect(safeHref(null)).toBeNull()
    expect(safeHref(undefined)).toBeNull()
  })
})
