// The sandboxed preload: exposes the renderer-facing API as window.supportConsole, and nothing else
// (no ipcRenderer, no generic invoke). Bundled as CommonJS with its dependencies inlined, because a
// sandboxed preload can require only Electron's own renderer modules.
import { contextBridge, ipcRenderer } from 'electron'
import { z } from 'zod'
import { bridgeSafe, createPreloadApi } from './preload-api'

// Before any schema parses: zod would otherwise probe `new Function('')`, which the page's CSP refuses
// (no 'unsafe-eval') and reports as a violation. The preload's few checks need no compiled parsers.
z.config({ jitless: true })

contextBridge.exposeInMainWorld('supportConsole', bridgeSafe(createPreloadApi(ipcRenderer)))
