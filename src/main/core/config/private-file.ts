import { renameSync, writeFileSync } from 'node:fs'

/**
 * Writes through a temporary file so a crash never leaves half a file, readable by this user only
 * (settings hold the endpoint token; the key file holds the API key).
 */
export function writePrivateFile(file: string, content: string | Buffer): void {
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, content, { mode: 0o600 })
  renameSync(temp, file)
}
