// The ways the agent can ask for a rewrite, as the Rewrite menu offers them and as the panel names the result.
// Pure: unit-tested under Node.
import { CUSTOMER_LANGUAGE, type MessageKind, type RewriteInstruction, type RewriteStyle } from '../../../shared/steering'

/** The fixed styles, in menu order, with the words the menu and the draft's label use. */
export const REWRITE_STYLE_LABELS: readonly (readonly [RewriteStyle, string])[] = [
  ['friendlier', 'Friendlier'],
  ['formal', 'More formal'],
  ['shorter', 'Shorter'],
  ['detailed', 'More detailed'],
  ['grammar', 'Fix grammar'],
]

/** Languages offered by "Translate to…": the ones support teams are most often asked for. Any other can be typed. */
export const TRANSLATION_LANGUAGES: readonly string[] = [
  'Arabic',
  'Chinese (Simplified)',
  'Czech',
  'Danish',
  'Dutch',
  'English',
  'Finnish',
  'French',
  'German',
  'Greek',
  'Hindi',
  'Hungarian',
  'Indonesian',
  'Italian',
  'Japanese',
  'Korean',
  'Norwegian',
  'Polish',
  'Portuguese',
  'Brazilian Portuguese',
  'Romanian',
  'Russian',
  'Spanish',
  'Swedish',
  'Thai',
  'Turkish',
  'Ukrainian',
  'Vietnamese',
]

/**
 * What a rewrite is called in the panel ("Shorter", "Translate to German"). `customerLanguage` names the
 * language a translation to the customer's language resolves to, when it is known.
 */
export function rewriteLabel(instruction: RewriteInstruction, customerLanguage: string | null = null): string {
  switch (instruction.kind) {
    case 'translate':
      if (instruction.language === CUSTOMER_LANGUAGE)
        return customerLanguage ? `Translate to ${customerLanguage}` : 'Translate to the customer’s language'
      return `Translate to ${instruction.language}`
    case 'custom':
      return instruction.text.trim()
    default:
      return REWRITE_STYLE_LABELS.find(([style]) => style === instruction.kind)?.[1] ?? instruction.kind
  }
}

/** A free instruction as the API takes it, or null when there is nothing to send. */
export function customInstruction(text: string): RewriteInstruction | null {
  const trimmed = text.trim()
  return trimmed === '' ? null : { kind: 'custom', text: trimmed }
}

/** A language typed or chosen for "Translate to…", or null when empty. */
export function translation(language: string): RewriteInstruction | null {
  const trimmed = language.trim()
  return trimmed === '' ? null : { kind: 'translate', language: trimmed }
}

/** What a saved draft is called in the transcript's history, by its kind ("Rewrite: Shorter"). */
export function draftKindLabel(kind: MessageKind, instruction: string | null): string {
  switch (kind) {
    case 'rewrite':
      return instruction ? `Rewrite: ${instruction}` : 'Rewrite'
    case 'summary':
      return 'Summary'
    case 'offline':
      return 'Offline draft'
    case 'reply':
      return 'AI draft'
  }
}
