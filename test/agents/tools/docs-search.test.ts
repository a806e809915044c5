import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { docsSearchTool } from "../../../src/agents/tools/docs-search.js";
import { indexPaths } from "../../../src/memory/index-paths.js";
import type { Store } from "../../../src/spec/store.js";
import { tempStore } from "../../memory/helpers.js";

const signal = new AbortController().signal;
let store: Store;
let cwd: string;

beforeEach(async () => {
  store = await tempStore();
  cwd = join(store.location, "..", "corpus");
  mkdirSync(join(cwd, "docs"), { recursive: true });
  writeFileSync(join(cwd, "docs", "bus.md"), "# Buses\n\nThe last bus leaves the observatory at 23:40.\n");
  writeFileSync(join(cwd, "docs", "cafe.md"), "# Cafe\n\nThe cafe serves soup until nine.\n");
  await indexPaths({ store, paths: ["docs"], cwd });
});
afterEach(() => store.close());

describe("docs_search tool", () => {
  it("returns the passage that answers, with its source and location", async () => {
    const search = docsSearchTool({ store });
    const hits = await search.execute({ query: "last bus" }, { toolCallId: "1", abortSignal: signal });
    expect(hits[0]?.source).toBe("docs/bus.md");
    expect(hits[0]?.text).toContain("23:40");
    expect(hits[0]?.location).toMatch(/bus\.md/);
    const top = hits[0]?.score ?? Number.NEGATIVE_INFINITY;
    expect(hits.some((h) => h.source === "docs/cafe.md" && h.score > top)).toBe(false);
  });

  it("caps passages and the number of hits", async () => {
    const search = docsSearchTool({ store, maxPassageChars: 10 });
    const hits = await search.execute({ query: "bus cafe soup", k: 1 }, { toolCallId: "1", abortSignal: signal });
    expect(hits).toHaveLength(1);
    expect(hits[0]?.text.length ?? 99).toBeLessThanOrEqual(11);
  });

  it("rejects an empty query through its schema", () => {
    const search = docsSearchTool({ store });
    expect(search.inputSchema.safeParse({ query: "" }).success).toBe(false);
    expect(search.inputSchema.safeParse({ query: "x", k: 0 }).success).toBe(false);
    expect(search.sideEffect).toBe(false);
  });
});
