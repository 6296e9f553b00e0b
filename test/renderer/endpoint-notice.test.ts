// The console's words about the local endpoint: the banner when the desktop app runs without it (its port was
// taken), and the port field in Settings. Playwright cannot show the desktop-only case (web mode needs the
// server), so its logic is checked here; the core's side is in test/endpoint-unavailable.test.ts.
import { describe, expect, it } from 'vitest'
import type { EndpointView } from '../../src/shared/api'
import { endpointNotice, endpointStatusText, parsePort, portAction, portHint } from '../../src/renderer/src/state/endpoint'

const listening: EndpointView = { url: 'http://127.0.0.1:7439', token: 't', status: 'listening', problem: null, port: 7439, portFixedBy: null }
const off: EndpointView = { ...listening, url: null, status: 'unavailable', problem: 'Port 7439 is in use by another program.' }

describe('the endpoint banner', () => {
  it('is not shown while the endpoint listens', () => {
    expect(endpointNotice(listening)).toBeNull()
    expect(endpointNotice({ ...listening, portFixedBy: 'environment' })).toBeNull()
  })

  it('says the endpoint is off, why (naming the port), and leads to Settings to choose another port', () => {
    const notice = endpointNotice(off)
    expect(notice).toEqual({
      title: 'The local endpoint for integrations is off.',
      detail: 'Port 7439 is in use by another program. Choose another port in Settings.',
      action: 'Choose another port',
    })
  })

  it('points at SUPPORT_CONSOLE_PORT when the environment sets the port', () => {
    const notice = endpointNotice({ ...off, portFixedBy: 'environment' })
    expect(notice?.detail).toContain('Port 7439 is in use by another program.')
    expect(notice?.detail).toContain('SUPPORT_CONSOLE_PORT')
    expect(notice?.action).toBe('Open Settings')
  })

  it('still says something when the core gave no reason', () => {
    expect(endpointNotice({ ...off, problem: null })?.detail).toBe('It could not be started. Choose another port in Settings.')
  })
})

describe('the port field', () => {
  it('shows where the endpoint listens, or why it does not', () => {
    expect(endpointStatusText(listening)).toBe('Listening at http://127.0.0.1:7439.')
    expect(endpointStatusText(off)).toBe('Off: Port 7439 is in use by another program.')
  })

  it('offers Apply for a new port, Retry for the same one while off, and nothing when there is nothing to do', () => {
    expect(portAction(listening, '7439')).toBeNull()
    expect(portAction(listening, ' 8080 ')).toBe('Apply')
    expect(portAction(off, '7439')).toBe('Retry')
    expect(portAction(off, '0')).toBe('Apply')
    // SUPPORT_CONSOLE_PORT wins: only a retry on its port makes sense.
    expect(portAction({ ...off, portFixedBy: 'environment' }, '7439')).toBe('Retry')
    expect(portAction({ ...off, portFixedBy: 'environment' }, '8080')).toBeNull()
    expect(portAction({ ...listening, portFixedBy: 'environment' }, '7439')).toBeNull()
    // Web mode: the page itself is served from the port.
    expect(portAction({ ...listening, portFixedBy: 'web-console' }, '8080')).toBeNull()
  })

  it('says how the port can be changed', () => {
    expect(portHint(listening)).toContain('0 picks any free port')
    expect(portHint({ ...listening, portFixedBy: 'environment' })).toContain('SUPPORT_CONSOLE_PORT')
    expect(portHint({ ...listening, portFixedBy: 'web-console' })).toContain('settings.json')
  })

  it('takes whole ports from 0 to 65535 and nothing else', () => {
    expect(parsePort('0')).toEqual({ port: 0 })
    expect(parsePort(' 8080 ')).toEqual({ port: 8080 })
    expect(parsePort('65535')).toEqual({ port: 65_535 })
    expect(parsePort('65536')).toEqual({ error: 'the port must be between 0 and 65535' })
    for (const typed of ['', ' ', '-1', '80.5', '1e3', '0x50', 'port', '123456']) {
      expect(parsePort(typed)).toEqual({ error: 'Enter a port from 0 to 65535 (0 picks any free port).' })
    }
  })
})
