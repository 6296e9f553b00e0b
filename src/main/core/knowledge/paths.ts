// How the knowledge base names files: relative to its folder, with forward slashes on every platform (the
// names are stored, shown, and returned by the API), hidden entries left out.
import { relative, sep } from 'node:path'

export const toRelative = (folder: string, absolute: string): string => relative(folder, absolute).split(sep).join('/')

/** Hidden files and folders (".git", ".DS_Store", editors' ".x.swp") are not part of the knowledge base. */
export const isHiddenPath = (relativePath: string): boolean => relativePath.split('/').some((segment) => segment.startsWith('.'))
