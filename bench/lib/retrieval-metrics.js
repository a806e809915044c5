// Ranking metrics as BEIR computes them (trec_eval: linear gains, log2 discount) and latency figures.
import { quantile } from "./stats.js";

/**
 * nDCG@k of a ranked list of ids against graded judgments (Map id → grade); a repeated id counts once.
 */
export function ndcgAt(ranked, grades, k) {
  let dcg = 0;
  const seen = new Set();
  let rank = 0;
  for (const id of ranked) {
    if (rank >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    dcg += (grades.get(id) ?? 0) / Math.log2(rank + 2);
    rank++;
  }
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

/** Share of the relevant ids (any iterable) found among the first k distinct ids of `ranked`. */
export function recallAt(ranked, relevant, k) {
  const wanted = new Set(relevant);
  if (wanted.size === 0) return 0;
  const top = new Set();
  for (const id of ranked) {
    if (top.size >= k) break;
    top.add(id);
  }
  let found = 0;
  for (const id of wanted) if (top.has(id)) found++;
  return found / wanted.size;
}

export function mean(values) {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Runs `await call(item)` for each item, one after another, after `warmup` untimed calls; returns
 * what each call returned and its milliseconds.
 */
export async function timeEach(items, call, { warmup = 5 } = {}) {
  for (const item of items.slice(0, warmup)) await call(item);
  const samples = [];
  const results = [];
  for (const item of items) {
    const start = performance.now();
    results.push(await call(item));
    samples.push(performance.now() - start);
  }
  return { results, samples, p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}
