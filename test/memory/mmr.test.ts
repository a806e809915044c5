import { describe, expect, it } from "vitest";
import { cosineSimilarity, maximalMarginalRelevance } from "../../src/memory/mmr.js";

describe("maximalMarginalRelevance", () => {
  const near = (x: number, y: number) => [x, y];

  it("with lambda 1 keeps plain relevance order", () => {
    const candidates = [0.2, 0.9, 0.5].map((relevance, i) => ({ relevance, text: `t${i}`, vector: near(1, i) }));
    expect(maximalMarginalRelevance(candidates, { k: 3, lambda: 1 })).toEqual([1, 2, 0]);
  });

  it("skips a near-duplicate of an already picked passage in favour of a different one", () => {
    const candidates = [
      { relevance: 1.0, text: "a", vector: near(1, 0) },
      { relevance: 0.95, text: "a'", vector: near(0.999, 0.04) }, // almost the same direction
      { relevance: 0.6, text: "b", vector: near(0, 1) },
    ];
    expect(maximalMarginalRelevance(candidates, { k: 2, lambda: 0.5 })).toEqual([0, 2]);
    // Mostly relevance: the duplicate wins again.
    expect(maximalMarginalRelevance(candidates, { k: 2, lambda: 0.9 })).toEqual([0, 1]);
  });

  it("compares texts by word overlap when there are no vectors", () => {
    const candidates = [
      { relevance: 3, text: "the dome rotates while Wren tracks" },
      { relevance: 2.9, text: "the dome rotates while Wren tracks stars" },
      { relevance: 2.5, text: "membership costs 45 euros" },
    ];
    expect(maximalMarginalRelevance(candidates, { k: 2 })).toEqual([0, 2]);
  });

  it("returns at most the candidates it has, and nothing for k = 0", () => {
    const one = [{ relevance: 1, text: "x" }];
    expect(maximalMarginalRelevance(one, { k: 5 })).toEqual([0]);
    expect(maximalMarginalRelevance(one, { k: 0 })).toEqual([]);
    expect(maximalMarginalRelevance([], { k: 3 })).toEqual([]);
  });

  it("cosineSimilarity is 1 for the same direction, 0 for orthogonal or zero vectors", () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });
});
