// A picked or dropped file's bytes as base64, the way addKnowledgeBaseDocuments takes them (JSON over HTTP and
// IPC alike). FileReader's data URL is base64 already; only its "data:…;base64," prefix is dropped.
export function readFileAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : ''
      const comma = url.indexOf(',')
      resolve(comma >= 0 ? url.slice(comma + 1) : '')
    }
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'))
    reader.readAsDataURL(file)
  })
}
