// What Gemini is asked for when the agent steers: a rewrite of a text, or a summary of the conversation. Pure, so
// the exact words sent are unit-tested (test/steering.test.ts).
//
// Each request is one user turn holding the whole task, the conversation quoted inside it as context, rather than
// the conversation as turns with the task appended: as turns, the model takes the customer's last message as the
// thing to answer, and a rewrite comes back as a fresh reply.
import type { Message } from '../../../shared/domain'
import { CUSTOMER_LANGUAGE, type RewriteInstruction, type RewriteStyle } from '../../../shared/steering'
import type { Turn } from '../gemini/types'
import { AGENT_FIRST_PROMPT, conversationTurns, FOLLOW_UP_PROMPT } from './conversation-turns'

/** The conversation quoted as context keeps its latest part when it is longer (about 25,000 tokens). */
export const MAX_CONTEXT_CHARS = 100_000

const STYLE_WORDS: Record<RewriteStyle, string> = {
  friendlier: 'Make it friendlier and warmer, while keeping it professional.',
  formal: 'Make it more formal and polite.',
  shorter: 'Make it shorter and more to the point, keeping every fact, promise and question it holds.',
  detailed: 'Make it more detailed: explain the steps and reasons more fully, without adding facts, policies or promises.',
  grammar: 'Fix its spelling, grammar and punctuation only; change nothing else.',
}

/** A refusal the API turns into invalid-input: the customer's language was asked for and is not known. */
export class UnknownCustomerLanguage extends Error {
  override readonly name = 'UnknownCustomerLanguage'
}

/**
 * The instruction in words: what is sent to Gemini and saved with the rewrite. `customerLanguage` is what
 * translating to 'customer' means; without one that instruction is refused.
 */
export function instructionWords(instruction: RewriteInstruction, customerLanguage: string | null): string {
  switch (instruction.kind) {
    case 'translate': {
      const language = instruction.language === CUSTOMER_LANGUAGE ? customerLanguage : instruction.language
      if (language === null) {
        throw new UnknownCustomerLanguage('The customer’s language cannot be told from their messages yet; choose the language to translate to.')
      }
      return `Translate it into ${language}.`
    }
    case 'custom':
      return instruction.text.trim()
    default:
      return STYLE_WORDS[instruction.kind]
  }
}

/** Who said what, oldest first: the turns a reply draft would get, labelled, without the prompts added for Gemini. */
export function quotedConversation(messages: readonly Message[]): string {
  const lines = conversationTurns(messages)
    .filter((turn) => turn.text !== FOLLOW_UP_PROMPT && turn.text !== AGENT_FIRST_PROMPT)
    .map((turn: Turn) => `${turn.role === 'user' ? 'Customer' : 'Agent'}: ${turn.text}`)
  let quoted = lines.join('\n\n')
  if (quoted.length > MAX_CONTEXT_CHARS) quoted = `[…earlier messages left out…]\n${quoted.slice(-MAX_CONTEXT_CHARS)}`
  return quoted === '' ? '(no messages yet)' : quoted
}

export interface SteeringRequest {
  systemInstruction: string
  turns: Turn[]
}

/**
 * A rewrite: the text and the instruction, with the conversation as context. The persona (Settings) still
 * applies, since the text is going to the customer; the rules keep the rewrite to the text's own content.
 */
export function rewriteRequest(input: { messages: readonly Message[]; text: string; instruction: string; persona: string }): SteeringRequest {
  const translating = /^Translate it into /.test(input.instruction)
  const rules = [
    'Answer with the rewritten text only: no preamble, no explanation, no quotation marks or tags around it.',
    'Keep every fact, number, name, link, date, promise and question of the text unless the instruction says otherwise; never add facts, policies or promises that are in neither the text nor the conversation.',
    'Keep its Markdown formatting, its citation markers such as [1], and placeholders in braces such as {customer_name} exactly as they are.',
    translating
      ? 'Translate everything, including greetings and sign-offs; do not translate names, product names or placeholders.'
      : 'Keep the language of the text.',
  ]
  const task = [
    'Rewrite the text below, which a customer support agent is about to send in this conversation.',
    '',
    `Instruction: ${input.instruction}`,
    '',
    'Rules:',
    ...rules.map((rule) => `- ${rule}`),
    '',
    'The conversation so far, as context only (do not answer it):',
    '<conversation>',
    quotedConversation(input.messages),
    '</conversation>',
    '',
    'The text to rewrite:',
    '<text>',
    input.text,
    '</text>',
  ].join('\n')
  const role = 'You rewrite texts for customer support agents, following their instruction exactly.'
  const persona = input.persona.trim()
  return {
    systemInstruction: persona === '' ? role : `${role}\n\nThe team's guidance for messages to customers:\n${persona}`,
    turns: [{ role: 'user', text: task }],
  }
}

/** A summary for the agent: the customer's issue, what was promised, the open questions. */
export function summaryRequest(messages: readonly Message[]): SteeringRequest {
  const task = [
    'Summarize this customer support conversation for the support agent, in English, in three short Markdown sections:',
    '',
    '**Issue**: what the customer needs, in one or two sentences.',
    '**Promised**: what the agent has promised or already done, as a list; "Nothing yet." if nothing.',
    '**Open questions**: what is still unanswered or undecided, as a list; "None." if nothing.',
    '',
    'Use only what the conversation says; do not suggest a reply. Answer with the summary only.',
    '',
    '<conversation>',
    quotedConversation(messages),
    '</conversation>',
  ].join('\n')
  return {
    systemInstruction: 'You summarize customer support conversations for the agents who handle them: brief, factual, nothing invented.',
    turns: [{ role: 'user', text: task }],
  }
}
