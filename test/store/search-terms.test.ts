import { describe, expect, it } from "vitest";
import { fts5Query, tsQuery } from "../../src/store/search-terms.js";

describe("full-text query building", () => {
  it("drops English stop words from a question", () => {
    expect(fts5Query("What is the role of the p53 gene in cancer?")).toBe(
      '"what" OR "role" OR "p53" OR "gene" OR "cancer"',
    );
    expect(tsQuery("the cats and the dogs")).toBe("'cats' | 'dogs'");
  });

  it("keeps stop words when nothing else is left", () => {
    expect(fts5Query("to be or not to be")).toBe('"to" OR "be" OR "or" OR "not"');
  });

  it("quotes operators as plain words", () => {
    expect(fts5Query('NEAR("x" -y) AND z*')).toBe('"near" OR "x" OR "y" OR "z"');
  });
});
