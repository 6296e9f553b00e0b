// Renders a reply's Markdown block by block. Finished blocks keep the same source string, so the memoised
// MarkdownBlock skips them: while a reply streams, only its last, growing block is parsed and rendered again.
import { memo, useMemo } from 'react'
import Markdown from 'react-markdown'
import { splitBlocks } from './blocks'
import { markdownOptions } from './markdown-options'

const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  return (
    <div className="md-block">
      <Markdown {...markdownOptions}>{source}</Markdown>
    </div>
  )
})

export interface MarkdownViewProps {
  text: string
  /** Shows a caret after the text while it is still arriving. */
  streaming?: boolean
  className?: string
  testId?: string
}

export function MarkdownView({ text, streaming = false, className, testId }: MarkdownViewProps) {
  const blocks = useMemo(() => splitBlocks(text), [text])
  const classes = ['markdown', streaming && 'is-streaming', className].filter(Boolean).join(' ')
  return (
    <div className={classes} data-testid={testId}>
      {blocks.map((block, i) => (
        // Index keys are right here: blocks only ever grow at the end.
        <MarkdownBlock key={i} source={block} />
      ))}
    </div>
  )
}
