// Builds the app once before any test file runs: the browser and Electron end-to-end tests both load out/,
// and two files building into it at the same moment would race. A Chromium for the browser tests is found
// (or installed) first, once, for the same reason, and so that a machine without one fails in one line.
import { buildIfStale } from '../scripts/app-build'
import { PROJECT_ROOT } from '../src/main/core/cli/web-console'
import { provisionChromium } from './helpers/provision-chromium'

export default function setup(): void {
  provisionChromium()
  buildIfStale(PROJECT_ROOT, 'desktop')
}
