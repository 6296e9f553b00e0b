// Builds the app once before any test file runs: the browser and Electron end-to-end tests both load out/,
// and two files building into it at the same moment would race.
import { buildIfStale } from '../scripts/app-build'
import { PROJECT_ROOT } from '../src/main/core/cli/web-console'

export default function setup(): void {
  buildIfStale(PROJECT_ROOT, 'desktop')
}
