import { describe, expect, it } from "vitest";
import { RRF_K, reciprocalRankFusion } from "../../src/memory/rank-fusion.js";

const id = (x: string) => x;

describe("reciprocalRankFusion", () => {
  it("scores each item by the sum of 1 / (60 + rank) over the lists", () => {
    const fused = reciprocalRankFusion(
      [
        ["a", "b", "c"],
        ["c", "a", "d"],
      ],
      { id },
    );
    const scores = Object.fromEntries(fused.map((f) => [f.item, f.score]));
    expect(RRF_K).toBe(60);
    expect(scores.a).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(scores.b).toBeCloseTo(1 / 62, 12);
    expect(scores.c).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(scores.d).toBeCloseTo(1 / 63, 12);
    expect(fused.map((f) => f.item)).toEqual(["a", "c", "b", "d"]);
    expect(fused.find((f) => f.item === "d")?.ranks).toEqual([undefined, 3]);
  });

  it("puts an item found by both lists above items found by one, even when ranked lower in each", () => {
    const text = ["t1", "t2", "both"];
    const vector = ["v1", "v2", "both"];
    expect(reciprocalRankFusion([text, vector], { id })[0]?.item).toBe("both");
  });

  it("uses only ranks, so the lists' score scales do not matter", () => {
    const bm25 = [
      { id: "x", score: 42 },
      { id: "y", score: 1 },
    ];
    const cosine = [
      { id: "y", score: 0.99 },
      { id: "x", score: 0.98 },
    ];
    const fused = reciprocalRankFusion([bm25, cosine], { id: (h) => h.id });
    expect(fused[0]?.score).toBeCloseTo(fused[1]?.score as number, 12);
    // Ties keep first-seen order.
    expect(fused.map((f) => f.item.id)).toEqual(["x", "y"]);
  });

  it("honours k and per-list weights, and counts a duplicate within one list once", () => {
    const fused = reciprocalRankFusion([["a", "a", "b"], ["b"]], { id, k: 1, weights: [1, 3] });
    const scores = Object.fromEntries(fused.map((f) => [f.item, f.score]));
    expect(scores.a).toBeCloseTo(1 / 2, 12);
    expect(scores.b).toBeCloseTo(1 / 4 + 3 / 2, 12);
    expect(reciprocalRankFusion([], { id })).toEqual([]);
  });
});
