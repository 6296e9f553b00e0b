// Greedy packing that keeps order: used to cut a document's section into passages of a bounded number of words
// (the core) and a drop of files into uploads of a bounded size and count (the renderer).

/**
 * Splits `items`, in order, into runs whose weights add up to at most `maxWeight` and which hold at most `maxItems`
 * items. A run is closed only when the next item would not fit, so an item heavier than `maxWeight` is a run alone.
 */
export function packInOrder<T>(items: Iterable<T>, weight: (item: T) => number, maxWeight: number, maxItems = Number.POSITIVE_INFINITY): T[][] {
  const runs: T[][] = []
  let run: T[] = []
  let total = 0
  for (const item of items) {
    const w = weight(item)
    if (run.length > 0 && (run.length >= maxItems || total + w > maxWeight)) {
      runs.push(run)
      run = []
      total = 0
    }
    run.push(item)
    total += w
  }
  if (run.length > 0) runs.push(run)
  return runs
}
