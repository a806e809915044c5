/** The constant of reciprocal rank fusion. 60 is the value of Cormack, Clarke and Büttcher (2009). */
export const RRF_K = 60;

/** One item after fusion: its fused score and its 1-based rank in each input list (undefined when absent). */
export interface FusedItem<T> {
  item: T;
  score: number;
  ranks: Array<number | undefined>;
}

/**
 * Reciprocal rank fusion: each list gives an item `1 / (k + rank)` (rank from 1), the scores are
 * summed, and items are sorted by the sum. Only ranks matter, so lists with incomparable scores
 * (BM25 and cosine) fuse fairly. Ties keep first-seen order. The first occurrence of an id is the
 * item returned.
 *
 * @example
 * const fused = reciprocalRankFusion([["a", "b"], ["b", "c"]], { id: (x) => x });
 * fused.map((f) => f.item); // ["b", "a", "c"]
 */
export function reciprocalRankFusion<T>(
  lists: T[][],
  options: { id: (item: T) => string; k?: number; weights?: number[] },
): FusedItem<T>[] {
  const k = options.k ?? RRF_K;
  const byId = new Map<string, FusedItem<T>>();
  lists.forEach((list, listIndex) => {
    const weight = options.weights?.[listIndex] ?? 1;
    const seen = new Set<string>();
    list.forEach((item, position) => {
      const id = options.id(item);
      if (seen.has(id)) return; // a duplicate within one list keeps its best rank only
      seen.add(id);
      let fused = byId.get(id);
      if (!fused) {
        fused = { item, score: 0, ranks: new Array(lists.length).fill(undefined) };
        byId.set(id, fused);
      }
      fused.ranks[listIndex] = position + 1;
      fused.score += weight / (k + position + 1);
    });
  });
  // Array.prototype.sort is stable, so equal scores keep insertion (first-seen) order.
  return [...byId.values()].sort((a, b) => b.score - a.score);
}
