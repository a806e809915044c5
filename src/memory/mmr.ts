/** A candidate for diversification: how relevant it is, and what to compare it with. */
export interface MmrCandidate {
  /** Higher is more relevant; any scale (normalised to 0..1 internally). */
  relevance: number;
  /** Compared by cosine similarity when both candidates have one. */
  vector?: number[];
  /** Compared by word overlap (Jaccard) otherwise. */
  text: string;
}

/** Cosine similarity of two vectors of the same length; 0 when either is all zeros. */
export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Maximal marginal relevance (Carbonell and Goldstein, 1998): picks `k` candidates one at a time,
 * each maximising `lambda * relevance - (1 - lambda) * (highest similarity to those already
 * picked)`. `lambda = 1` is plain relevance order; lower values favour variety. Relevance is
 * min-max normalised so the two terms share a scale. Returns indices into `candidates`.
 *
 * @example
 * maximalMarginalRelevance(
 *   [{ relevance: 1, text: "cats sleep" }, { relevance: 0.9, text: "cats sleep" }, { relevance: 0.5, text: "dogs bark" }],
 *   { k: 2, lambda: 0.5 },
 * ); // [0, 2]
 */
export function maximalMarginalRelevance(
  candidates: MmrCandidate[],
  options: { k: number; lambda?: number },
): number[] {
  const lambda = options.lambda ?? 0.5;
  const k = Math.min(options.k, candidates.length);
  if (k <= 0) return [];
  const scores = candidates.map((c) => c.relevance);
  const min = Math.min(...scores);
  const span = Math.max(...scores) - min;
  const relevance = scores.map((s) => (span === 0 ? 1 : (s - min) / span));
  const wordSets = candidates.map((c) => (c.vector ? undefined : words(c.text)));
  const similarity = (i: number, j: number): number => {
    const a = candidates[i] as MmrCandidate;
    const b = candidates[j] as MmrCandidate;
    if (a.vector && b.vector) return cosineSimilarity(a.vector, b.vector);
    return jaccard(wordSets[i] ?? words(a.text), wordSets[j] ?? words(b.text));
  };

  const picked: number[] = [];
  // Highest similarity of each candidate to the picked set, updated incrementally.
  const maxSim = new Array<number>(candidates.length).fill(Number.NEGATIVE_INFINITY);
  const remaining = new Set(candidates.keys());
  while (picked.length < k) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const i of remaining) {
      const penalty = picked.length === 0 ? 0 : (maxSim[i] as number);
      const score = lambda * (relevance[i] as number) - (1 - lambda) * penalty;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    picked.push(best);
    remaining.delete(best);
    for (const i of remaining) maxSim[i] = Math.max(maxSim[i] as number, similarity(i, best));
  }
  return picked;
}
