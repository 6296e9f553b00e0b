// A conversation as a file to keep or share: Markdown for people, JSON (exactly ConversationDetail) for tools.
import type { ExportFormat, ExportedTranscript } from '../../../shared/api'
import type { ConversationDetail, Message, MessageRole } from '../../../shared/domain'

const ROLE_LABELS: Record<MessageRole, string> = {
  customer: 'Customer',
  agent: 'Agent',
  assistant_draft: 'AI draft',
  system_note: 'Note',
}

export function exportTranscript(detail: ConversationDetail, format: ExportFormat): ExportedTranscript {
  const base = fileStem(detail.conversation.title, detail.conversation.id)
  if (format === 'json') {
    return { filename: `${base}.json`, mimeType: 'application/json; charset=utf-8', content: `${JSON.stringify(detail, null, 2)}\n` }
  }
  return { filename: `${base}.md`, mimeType: 'text/markdown; charset=utf-8', content: transcriptMarkdown(detail) }
}

export function transcriptMarkdown({ conversation, messages }: ConversationDetail): string {
  const lines = [
    `# ${oneLine(conversation.title)}`,
    '',
    `Conversation ${conversation.id} · source ${conversation.source} · started ${formatTime(conversation.createdAt)} · ${messages.length} message${messages.length === 1 ? '' : 's'}`,
  ]
  for (const message of messages) {
    lines.push('', `## ${ROLE_LABELS[message.role]} · ${formatTime(message.createdAt)}`, '')
    const facts = draftFacts(message)
    if (facts) lines.push(`_${facts}_`, '')
    // Message text is Markdown already (drafts are written in it); it is kept as written, code blocks included.
    lines.push(message.text.trim() === '' ? '_(no text)_' : closeOpenFence(message.text))
    if (message.errorMessage) lines.push('', `> ${message.status === 'stopped' ? 'Stopped' : 'Error'}: ${oneLine(message.errorMessage)}`)
  }
  return `${lines.join('\n')}\n`
}

/** Model, outcome and token counts of a draft, on one line. */
function draftFacts(message: Message): string | undefined {
  if (message.role !== 'assistant_draft') return undefined
  const facts = [message.model ?? 'unknown model', message.status]
  // A rewrite or a summary is not a reply to the customer: say which it is (and a rewrite's instruction).
  if (message.kind !== 'reply') facts.unshift(message.instruction ? `${message.kind}: ${oneLine(message.instruction)}` : message.kind)
  const { promptTokens, outputTokens, totalTokens } = message.usage
  if (totalTokens !== null) facts.push(`${promptTokens ?? '?'} prompt + ${outputTokens ?? '?'} output = ${totalTokens} tokens`)
  if (message.firstTokenMs !== null) facts.push(`first token ${message.firstTokenMs} ms`)
  if (message.durationMs !== null) facts.push(`${message.durationMs} ms in all`)
  if (message.source !== 'app') facts.push(`via ${message.source}`)
  return facts.join(' · ')
}

// A draft stopped inside a code block leaves its fence open, which would swallow every later message.
function closeOpenFence(text: string): string {
  let open: { char: string; length: number } | undefined
  for (const line of text.split(/\r\n|\r|\n/)) {
    const fence = line.match(/^ {0,3}(`{3,}|~{3,})/)?.[1]
    if (!fence) continue
    if (!open) open = { char: fence[0] as string, length: fence.length }
    else if (fence[0] === open.char && fence.length >= open.length && line.trim() === fence) open = undefined
  }
  return open ? `${text.replace(/\s+$/, '')}\n${open.char.repeat(open.length)}` : text
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim()

/** `2025-03-04T05:06:07.890Z` → `2025-03-04 05:06:07 UTC`: the same for every reader of the file. */
function formatTime(iso: string): string {
  const match = iso.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/)
  return match ? `${match[1]} ${match[2]} UTC` : iso
}

/** Letters and digits of the title (ASCII, so every file system and header accepts it), then the id. */
export function fileStem(title: string, id: number): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug ? `${slug}-${id}` : `conversation-${id}`
}
