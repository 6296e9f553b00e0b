// Imported first by main.tsx, before any schema exists: zod otherwise probes `new Function('')` to decide
// whether it may compile fast parsers, and under this page's CSP (no 'unsafe-eval') the refused probe is
// reported as a policy violation. Jitless parsing is plenty for a settings form.
import { z } from 'zod'

z.config({ jitless: true })
