import { describe, expect, it } from "vitest";
import { isNotFoundAnswer } from "../../src/memory/ask-prompt.js";
import { checkCitations } from "../../src/memory/citations.js";

describe("checkCitations", () => {
  it("splits citations into valid ones (in order of first use) and ones naming no source", () => {
    expect(checkCitations("Opens at 21:00 [2]. Costs 5 euros [1][2]. Free on Mondays [7].", 3)).toEqual({
      cited: [2, 1],
      invalid: [7],
    });
  });

  it("reads lists and ranges", () => {
    expect(checkCitations("See [1, 3] and [4-5]; also [2 ; 6].", 5)).toEqual({ cited: [1, 3, 4, 5, 2], invalid: [6] });
  });

  it("ignores brackets that are not citations and finds none in plain text", () => {
    expect(checkCitations("An array [a, b] and a link [here](x) and [0].", 2)).toEqual({ cited: [], invalid: [0] });
    expect(checkCitations("No citations at all.", 2)).toEqual({ cited: [], invalid: [] });
  });
});

describe("isNotFoundAnswer", () => {
  it("recognises the exact reply with or without punctuation and case changes", () => {
    expect(isNotFoundAnswer("I could not find an answer.")).toBe(true);
    expect(isNotFoundAnswer("  i could not find an answer ")).toBe(true);
    expect(isNotFoundAnswer("I could not find an answer, but Wren is 600 mm [1].")).toBe(false);
  });
});
