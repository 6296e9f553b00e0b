// The Rewrite popover's two typed choices: translate to a language picked from a list (or typed), and a free
// instruction ("mention the 30-day guarantee").
import { useId, useState } from 'react'
import { MAX_INSTRUCTION_CHARS, MAX_LANGUAGE_NAME_CHARS } from '../../../../shared/limits'
import type { RewriteInstruction } from '../../../../shared/steering'
import { customInstruction, TRANSLATION_LANGUAGES, translation } from '../../state/rewrite-instructions'

export function RewriteFreeForm({ onRewrite }: { onRewrite(instruction: RewriteInstruction): void }) {
  const id = useId()
  const [language, setLanguage] = useState('')
  const [instruction, setInstruction] = useState('')
  const toLanguage = translation(language)
  const custom = customInstruction(instruction)

  return (
    <div className="rewrite-free">
      <form
        className="rewrite-field"
        onSubmit={(e) => {
          e.preventDefault()
          if (toLanguage) onRewrite(toLanguage)
        }}
      >
        <label htmlFor={`${id}-language`}>Translate to…</label>
        <div className="rewrite-field-row">
          <input
            id={`${id}-language`}
            type="text"
            list={`${id}-languages`}
            value={language}
            maxLength={MAX_LANGUAGE_NAME_CHARS}
            placeholder="Choose or type a language"
            onChange={(e) => setLanguage(e.target.value)}
            data-testid="rewrite-language"
          />
          <datalist id={`${id}-languages`}>
            {TRANSLATION_LANGUAGES.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <button type="submit" className="button" disabled={!toLanguage} data-testid="rewrite-translate">
            Translate
          </button>
        </div>
      </form>
      <form
        className="rewrite-field"
        onSubmit={(e) => {
          e.preventDefault()
          if (custom) onRewrite(custom)
        }}
      >
        <label htmlFor={`${id}-instruction`}>Your instruction</label>
        <div className="rewrite-field-row">
          <input
            id={`${id}-instruction`}
            type="text"
            value={instruction}
            maxLength={MAX_INSTRUCTION_CHARS}
            placeholder="e.g. mention the 30-day guarantee"
            onChange={(e) => setInstruction(e.target.value)}
            data-testid="rewrite-instruction"
          />
          <button type="submit" className="button" disabled={!custom} data-testid="rewrite-custom">
            Rewrite
          </button>
        </div>
      </form>
    </div>
  )
}
