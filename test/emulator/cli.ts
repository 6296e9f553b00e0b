// Runs the Gemini emulator on its own, so a person can point the console at it:
//   npm run emulator -- --port 8089 --key test-key --delay-ms 30
//   GEMINI_BASE_URL=http://127.0.0.1:8089 GEMINI_API_KEY=test-key npm run serve
import { parseArgs } from 'node:util'
import { echoReply, GeminiEmulator } from './gemini-emulator'

function usage(message: string): never {
  console.error(`${message}\nusage: emulator [--port 8089] [--host 127.0.0.1] [--key test-key] [--delay-ms 30]`)
  process.exit(2)
}

function parseNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) usage(`--${name} must be a whole number, got "${value}"`)
  return n
}

async function main(): Promise<void> {
  let values: { port?: string; host?: string; key?: string; 'delay-ms'?: string }
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        key: { type: 'string' },
        'delay-ms': { type: 'string' },
      },
    }))
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err))
  }
  const port = parseNumber(values.port, 'port', 8089)
  const delayMs = parseNumber(values['delay-ms'], 'delay-ms', 30)
  const apiKey = values.key ?? 'test-key'
  const emulator = await GeminiEmulator.start({ port, host: values.host ?? '127.0.0.1', apiKey })
  emulator.setDefaultReply((r) => echoReply(r.lastUserText, delayMs))

  console.log(`Gemini emulator listening on ${emulator.url}`)
  console.log(`API key: ${apiKey}`)
  console.log(`Try: GEMINI_BASE_URL=${emulator.url} GEMINI_API_KEY=${apiKey} npm run serve`)

  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
