import { describe, expect, it } from 'vitest'
import { packInOrder } from '../src/shared/pack-in-order'

const id = (n: number): number => n

describe('packInOrder', () => {
  it('keeps order and closes a run only when the next item would pass the weight', () => {
    expect(packInOrder([3, 4, 3, 5, 1], id, 7)).toEqual([[3, 4], [3], [5, 1]])
  })

  it('puts an item heavier than the limit in a run of its own', () => {
    expect(packInOrder([2, 9, 2], id, 5)).toEqual([[2], [9], [2]])
  })

  it('also bounds the number of items per run', () => {
    expect(packInOrder([1, 1, 1, 1, 1], id, 100, 2)).toEqual([[1, 1], [1, 1], [1]])
  })

  it('gives no runs for no items', () => {
    expect(packInOrder([], id, 10)).toEqual([])
  })
})
