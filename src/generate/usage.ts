import type { Usage } from "../spec/language-model.js";

const FIELDS = ["inputTokens", "outputTokens", "totalTokens", "cachedInputTokens", "reasoningTokens"] as const;

/** Sums two usages; a field stays absent when neither side reports it. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {};
  for (const field of FIELDS) {
    if (a[field] !== undefined || b[field] !== undefined) sum[field] = (a[field] ?? 0) + (b[field] ?? 0);
  }
  return sum;
}

/** Sums costs; unknown (null) wins, because a total that silently drops a call would mislead. */
export function addCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}
