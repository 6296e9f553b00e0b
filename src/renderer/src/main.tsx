// Entry point: picks the API (the preload's in the desktop app, HTTP/SSE in a browser) and renders the console.
import './zod-config'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import type { SupportConsoleApi } from '../../shared/api'
import { App } from './App'
import { ApiProvider, DESKTOP_CAPABILITIES, WEB_CAPABILITIES, type ApiCapabilities } from './api/api-context'
import { describeError } from './api/errors'
import { createHttpApi } from './api/http-api'
import { StartupError } from './components/StartupError'
import './styles/theme.css'
import './styles/base.css'
import './styles/layout.css'
import './styles/sidebar.css'
import './styles/conversation.css'
import './styles/draft.css'
import './styles/markdown.css'
import './styles/dialogs.css'
import './styles/knowledge.css'
import './styles/steering.css'
import './styles/review.css'

function pickApi(): { api: SupportConsoleApi; capabilities: ApiCapabilities } | { error: string } {
  if (window.supportConsole) return { api: window.supportConsole, capabilities: DESKTOP_CAPABILITIES }
  try {
    return { api: createHttpApi(), capabilities: WEB_CAPABILITIES }
  } catch (error) {
    return { error: describeError(error) }
  }
}

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')

const choice = pickApi()
createRoot(container).render(
  <StrictMode>
    {'api' in choice ? (
      <ApiProvider api={choice.api} capabilities={choice.capabilities}>
        <App />
      </ApiProvider>
    ) : (
      <StartupError message={choice.error} />
    )}
  </StrictMode>,
)
