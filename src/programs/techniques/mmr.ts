export interface MaximalMarginalRelevanceOptions {
  /** Relevance of each candidate to the query. */
  relevance: readonly number[];
  /** Similarity of two candidates (same scale as relevance). */
  similarity: (a: number, b: number) => number;
  /** Most candidates to pick. */
  k: number;
  /** 1 = relevance only, 0 = diversity only (default 0.5). */
  lambda?: number;
  /** Candidates already picked (they count for redundancy and are not picked again). */
  selected?: readonly number[];
  /**
   * Whether a candidate can be added to those picked (e.g. a token budget). A candidate that does
   * not fit is not reconsidered, so the test must only get stricter as picks are added.
   */
  fits?: (candidate: number, selected: readonly number[]) => boolean;
}

export interface MmrPick {
  index: number;
  /** The MMR score the candidate had when it was picked. */
  score: number;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998), greedy: each pick maximises
 * `lambda * relevance - (1 - lambda) * max similarity to the picks so far`, until `k` picks (not
 * counting `selected`). Ties go to the more
 * relevant candidate, then the lower index; candidates that do not `fit` are passed over.
 *
 * @example
 * maximalMarginalRelevance({ relevance: [0.9, 0.89, 0.5], similarity: (a, b) => (a + b === 1 ? 0.99 : 0.1), k: 2, lambda: 0.5 });
 * // [{ index: 0, ... }, { index: 2, ... }]: 1 is a near-duplicate of 0
 */
export function maximalMarginalRelevance(options: MaximalMarginalRelevanceOptions): MmrPick[] {
  const { relevance, similarity, k, lambda = 0.5, fits = () => true } = options;
  const picks: MmrPick[] = [];
  const selected = [...(options.selected ?? [])];
  const open = new Set([...relevance.keys()].filter((i) => !selected.includes(i)));
  while (picks.length < k && open.size > 0) {
    let best: MmrPick | undefined;
    for (const i of [...open]) {
      if (!fits(i, selected)) {
        open.delete(i);
        continue;
      }
      const rel = relevance[i] ?? 0;
      const redundancy = selected.length ? Math.max(...selected.map((j) => similarity(i, j))) : 0;
      const score = lambda * rel - (1 - lambda) * redundancy;
      if (
        !best ||
        score > best.score ||
        (score === best.score &&
          (rel > (relevance[best.index] ?? 0) || (rel === relevance[best.index] && i < best.index)))
      ) {
        best = { index: i, score };
      }
    }
    if (!best) break;
    picks.push(best);
    selected.push(best.index);
    open.delete(best.index);
  }
  return picks;
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
