// The desktop app's preload exposes the renderer-facing API here (contextBridge); in a browser it is absent
// and the console talks to the local server instead.
import type { SupportConsoleApi } from '../../shared/api'

declare global {
  interface Window {
    supportConsole?: SupportConsoleApi
  }
}

export {}
