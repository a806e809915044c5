import { createRequire } from "node:module";
import type MiniSearchClass from "minisearch";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const MiniSearch = (): typeof MiniSearchClass => require("minisearch");

// Function words carry no topic; leaving them out keeps "how do I ..." questions from all matching.
const STOPWORDS = new Set(
  "a an and are as at be but by can could do does did for from has have how i if in into is it its me my of on or our so than that the their then there these they this to was we were what when where which who why will with would you your".split(
    " ",
  ),
);

/** Lower-cased word tokens without stopwords. */
function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => !STOPWORDS.has(t));
}

/** A lexical index over a fixed list of texts (no stemming, English stopwords removed). */
export interface LexicalIndex {
  /** BM25 score (minisearch's BM25+) of every text for the query, divided by the best so it lies in [0, 1]. */
  relevance(query: string): number[];
  /** Cosine similarity of two texts' TF-IDF vectors, in [0, 1]; near-duplicates score close to 1. */
  similarity(a: number, b: number): number;
}

/** Builds the BM25 index and the TF-IDF vectors once. */
export function createLexicalIndex(texts: readonly string[]): LexicalIndex {
  const index = new (MiniSearch())<{ id: number; text: string }>({
    fields: ["text"],
    tokenize: (text) => text.match(/[\p{L}\p{N}]+/gu) ?? [],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOPWORDS.has(t) ? null : t;
    },
  });
  index.addAll(texts.map((text, id) => ({ id, text })));

  const counts = texts.map((text) => {
    const tf = new Map<string, number>();
    for (const t of terms(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const df = new Map<string, number>();
  for (const tf of counts) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const vectors = counts.map((tf) => {
    const v = new Map<string, number>();
    for (const [t, n] of tf) v.set(t, n * Math.log(1 + texts.length / (df.get(t) ?? 1)));
    const norm = Math.sqrt([...v.values()].reduce((sum, x) => sum + x * x, 0));
    if (norm > 0) for (const [t, x] of v) v.set(t, x / norm);
    return v;
  });

  return {
    relevance(query) {
      const row = new Array<number>(texts.length).fill(0);
      for (const hit of index.search(query, { combineWith: "OR" })) row[hit.id as number] = hit.score;
      const max = Math.max(0, ...row);
      return max > 0 ? row.map((s) => s / max) : row;
    },
    similarity(a, b) {
      const va = vectors[a];
      const vb = vectors[b];
      if (!va || !vb) return 0;
      let dot = 0;
      for (const [t, x] of va) dot += x * (vb.get(t) ?? 0);
      return dot;
    },
  };
}
