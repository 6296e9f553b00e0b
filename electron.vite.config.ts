// Builds the three parts of the desktop app into out/: main (ESM, like the rest of the package: "type":
// "module"), the preload (CommonJS with everything inlined: a sandboxed preload cannot load ES modules or
// anything from node_modules), and the React renderer, which `npm run serve` also serves as the web console.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

// Matches the policy <meta> in src/renderer/index.html (attribute values hold no '>').
const CSP_META = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>\s*/i

/**
 * The Vite dev server only: drops index.html's CSP <meta>, which would block the inline script React
 * Refresh needs. Electron's development window gets a dev policy as a header instead (src/main/security.ts);
 * every build keeps the page's policy untouched.
 */
function devServerWithoutCspMeta(): Plugin {
  return {
    name: 'support-console:dev-server-without-csp-meta',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(CSP_META, ''),
  }
}

export default defineConfig({
  main: {
    build: {
      // The Gemini threads' entry (src/main/core/gemini/gemini-threads.ts) is a module of its own, beside index.js.
      rolldownOptions: { input: { index: resolve('src/main/index.ts'), 'gemini-thread': resolve('src/main/core/gemini/gemini-thread.ts') } },
    },
  },
  preload: {
    build: {
      // Bundle zod and src/shared into the preload instead of leaving require() calls to node_modules.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), devServerWithoutCspMeta()],
    // Minified: the same bundle is what the desktop app loads and what web mode sends over HTTP.
    build: { minify: true, rolldownOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
})
