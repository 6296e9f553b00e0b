// Retrieval quality on the labelled questions (test/fixtures/retrieval-questions.json) over the labelled
// documents: the floors are what bench/retrieval.ts measured for the default tuning, minus a margin, so a change
// that makes retrieval clearly worse fails here. bench/retrieval.ts prints the full numbers and the ablations.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Indexer } from '../src/main/core/knowledge/indexer'
import { KnowledgeIndex } from '../src/main/core/knowledge/knowledge-index'
import { DEFAULT_TUNING } from '../src/main/core/knowledge/retrieve'
import { ablations, hitRates, KNOWLEDGE_FIXTURES, loadQuestions, splitQuestions } from '../bench/retrieval'

// Measured (default tuning, labelled documents only, 53 questions): hit@1 49%, hit@3 68%; on the held-out half
// (odd positions, never read while tuning) hit@1 42%, hit@3 62%. Floors are those minus a margin (about one or two
// questions).
const HIT1_FLOOR = 0.45
const HIT3_FLOOR = 0.64
const HELD_OUT_HIT1_FLOOR = 0.35
const HELD_OUT_HIT3_FLOOR = 0.54

let work: string
let index: KnowledgeIndex

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'knowledge-retrieval-'))
  index = new KnowledgeIndex(join(work, 'knowledge.db'), KNOWLEDGE_FIXTURES)
  await new Indexer({ folder: KNOWLEDGE_FIXTURES, index }).scan()
})

afterAll(() => {
  index.close()
  rmSync(work, { recursive: true, force: true })
})

it('the labelled set is large enough and every label names an indexed passage', () => {
  const questions = loadQuestions()
  expect(questions.length).toBeGreaterThanOrEqual(40)
  expect(new Set(questions.map((q) => q.document)).size).toBeGreaterThanOrEqual(15)
  for (const q of questions) {
    expect(
      index.passagesOf(q.document).some((p) => p.headingPath.at(-1) === q.heading),
      `${q.document} > ${q.heading}`,
    ).toBe(true)
  }
})

it(`finds the labelled passage in the top 3 for at least ${HIT3_FLOOR * 100}% of the questions`, () => {
  const rates = hitRates(index, loadQuestions(), DEFAULT_TUNING)
  expect(rates.hit3).toBeGreaterThanOrEqual(HIT3_FLOOR)
  expect(rates.hit1).toBeGreaterThanOrEqual(HIT1_FLOOR)
})

it(`holds up on the held-out half of the questions (hit@3 at least ${HELD_OUT_HIT3_FLOOR * 100}%)`, () => {
  const { heldOut } = splitQuestions(loadQuestions())
  const rates = hitRates(index, heldOut, DEFAULT_TUNING)
  expect(rates.hit3).toBeGreaterThanOrEqual(HELD_OUT_HIT3_FLOOR)
  expect(rates.hit1).toBeGreaterThanOrEqual(HELD_OUT_HIT1_FLOOR)
})

it('the default beats plain FTS (AND of the words, no rewriting)', () => {
  const plain = ablations()[0]
  if (!plain) throw new Error('no ablations')
  const questions = loadQuestions()
  expect(hitRates(index, questions, DEFAULT_TUNING).hit3).toBeGreaterThan(hitRates(index, questions, plain.tuning).hit3 + 0.2)
})
