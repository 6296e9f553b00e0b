import { GeminiThreads } from './src/main/core/gemini/gemini-threads'
import { GeminiEmulator } from './test/emulator/gemini-emulator'
const emu = await GeminiEmulator.start()
emu.setDefaultReply(() => ({ chunks: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 20 }))
const pool = new GeminiThreads({ threads: 1, client: { apiKey: () => 'test-key', baseUrl: emu.url, idleTimeoutMs: 30000, maxRetries: 0, retryBaseDelayMs: 10, maxRetryDelayMs: 100 } })
const draft = () => pool.deliverReply({ model: 'gemini-2.5-flash', systemInstruction: 'x', turns: [{ role: 'user', text: 'hi' }], signal: new AbortController().signal }, () => {})
await draft()
const c0 = process.cpuUsage(); for (let i = 0; i < 10; i++) await draft(); const c = process.cpuUsage(c0); console.log('10 sequential drafts: cpu ms per draft', ((c.user + c.system) / 1000 / 10).toFixed(1))
await pool.close(); await emu.close()
