// The knowledge-base folder's files as the console touches them: documents added from the console are copied in
// (never over an existing file, never outside the folder), and a document is opened only when its real path, links
// resolved, is inside the folder. The index then follows the folder as for any other change.
import { realpath, stat, writeFile } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { KNOWLEDGE_EXTENSIONS, type AddedKnowledgeDocuments, type NewKnowledgeDocument } from '../../../shared/knowledge'
import { MAX_KB_DOCUMENT_BYTES, MAX_KB_FILE_NAME_CHARS, MAX_KB_UPLOAD_BYTES } from '../../../shared/limits'

/** A document that cannot be opened: 'not-found' (no such file) or 'outside' (not inside the folder). */
export class DocumentPathError extends Error {
  constructor(
    readonly reason: 'not-found' | 'outside',
    message: string,
  ) {
    super(message)
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
// Characters no file name may hold on some platform the folder may be synced to, and control characters.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_NAME_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f]/
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$/i

/** Why a file name cannot be used as given, or null when it can: a plain name of an allowed type, no path in it. */
export function refuseName(name: string): string | null {
  if (name.length === 0 || name.length > MAX_KB_FILE_NAME_CHARS) return `a file name must be 1 to ${MAX_KB_FILE_NAME_CHARS} characters`
  if (FORBIDDEN_NAME_CHARS.test(name) || name === '.' || name === '..') return 'a file name may not hold a path or any of < > : " / \\ | ? *'
  // Hidden files are not part of the knowledge base (paths.ts), so one added here would never be indexed.
  if (name.startsWith('.')) return 'a file name may not start with a dot'
  if (name.trim() !== name || name.endsWith('.')) return 'a file name may not start or end with a space, or end with a dot'
  if (WINDOWS_RESERVED.test(name)) return 'that file name is reserved on Windows'
  const extension = extname(name).slice(1).toLowerCase()
  if (!(KNOWLEDGE_EXTENSIONS as readonly string[]).includes(extension)) {
    return `only ${KNOWLEDGE_EXTENSIONS.map((e) => `.${e}`).join(', ')} files can be added`
  }
  return null
}

/** The bytes of a base64 text, or a reason it is not one (strict: Buffer.from would skip bad characters silently). */
function decodeBase64(text: string): Uint8Array | string {
  const compact = text.replace(/\s+/g, '')
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return 'the content is not valid base64'
  return Buffer.from(compact, 'base64')
}

/** `name`, or `name (2).ext`, `name (3).ext`... : the first that does not exist yet is taken, never overwritten. */
function candidateName(name: string, attempt: number): string {
  if (attempt === 1) return name
  const extension = extname(name)
  return `${name.slice(0, name.length - extension.length)} (${attempt})${extension}`
}

/**
 * Copies documents into `folder` (its top level). Each file is judged alone: a bad name, type, size or content is
 * refused with a reason and the rest are still added. A name already taken gets a number, as file managers do.
 */
export async function addDocuments(folder: string, files: readonly NewKnowledgeDocument[]): Promise<AddedKnowledgeDocuments> {
  const result: AddedKnowledgeDocuments = { added: [], refused: [] }
  let total = 0
  for (const file of files) {
    const refuse = (reason: string): void => void result.refused.push({ name: file.name, reason })
    const nameProblem = refuseName(file.name)
    if (nameProblem) {
      refuse(nameProblem)
      continue
    }
    // Checked on the text first, so an oversized file is refused before it is decoded into memory.
    if (Math.floor((file.contentBase64.length * 3) / 4) > MAX_KB_DOCUMENT_BYTES + 2) {
      refuse(`the file is larger than ${MAX_KB_DOCUMENT_BYTES / 1024 / 1024} MB`)
      continue
    }
    const bytes = decodeBase64(file.contentBase64)
    if (typeof bytes === 'string') {
      refuse(bytes)
      continue
    }
    if (bytes.length === 0) {
      refuse('the file is empty')
      continue
    }
    if (bytes.length > MAX_KB_DOCUMENT_BYTES) {
      refuse(`the file is larger than ${MAX_KB_DOCUMENT_BYTES / 1024 / 1024} MB`)
      continue
    }
    if (total + bytes.length > MAX_KB_UPLOAD_BYTES) {
      refuse(`the files together are larger than ${MAX_KB_UPLOAD_BYTES / 1024 / 1024} MB; add this one separately`)
      continue
    }
    try {
      result.added.push(await writeNew(folder, file.name, bytes))
      total += bytes.length
    } catch (error) {
      refuse(`it could not be saved in the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
  }
  return result
}

async function writeNew(folder: string, name: string, bytes: Uint8Array): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const candidate = candidateName(name, attempt)
    try {
      // 'wx': fails if the name exists (also as a link), so an existing document is never replaced.
      await writeFile(join(folder, candidate), bytes, { flag: 'wx' })
      return candidate
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 1000) throw error
    }
  }
}

/**
 * The real path of a document named relative to `folder`, checked to be a file inside it once every link is
 * resolved (a link inside the folder that points elsewhere is refused as well as `../`).
 */
export async function documentFile(folder: string, path: string): Promise<string> {
  let real: string
  let realFolder: string
  try {
    realFolder = await realpath(folder)
    real = await realpath(resolve(folder, path))
  } catch {
    throw new DocumentPathError('not-found', `There is no document ${path} in the knowledge base.`)
  }
  const inside = relative(realFolder, real)
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new DocumentPathError('outside', `${path} is not inside the knowledge-base folder.`)
  }
  if (!(await stat(real)).isFile()) throw new DocumentPathError('not-found', `${path} is not a document.`)
  return real
}
