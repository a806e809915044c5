import { rmSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/memory/ask.js";
import { indexPaths } from "../../src/memory/index-paths.js";
import { search } from "../../src/memory/search.js";
import type { Store } from "../../src/spec/store.js";
import { createPostgresStore } from "../../src/store/index.js";
import { createMockEmbeddingModel } from "../../src/testing/mock-embedding-model.js";
import { createMockLanguageModel } from "../../src/testing/mock-language-model.js";
import { tempDir, writeFiles } from "./helpers.js";

// The same pipeline on PostgreSQL (pgvector + tsvector), here PGlite in-process.
let db: PGlite;
let store: Store;
beforeAll(async () => {
  db = new PGlite({ extensions: { vector } });
  await db.waitReady;
  store = await createPostgresStore({ client: db, schema: "memory" });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await db?.close();
});

describe("memory on the PostgreSQL store", () => {
  it("indexes incrementally, searches hybrid and answers with citations", async () => {
    const cwd = tempDir();
    writeFiles(cwd, {
      "kb/hours.md": "# Hours\n\nPublic nights start at 21:00 in summer.\n",
      "kb/dome.txt": "The dome is 7.5 m wide and rotates while the telescope tracks.\n",
      "kb/fees.csv": "tier,fee\nFamily,70\nStudent,20\n",
    });
    const embedder = createMockEmbeddingModel({ dimensions: 16 });
    const first = await indexPaths({ store, paths: ["kb"], cwd, embedder });
    expect(first.added).toEqual(["kb/dome.txt", "kb/fees.csv", "kb/hours.md"]);
    rmSync(join(cwd, "kb/fees.csv"));
    const second = await indexPaths({ store, paths: ["kb"], cwd, embedder });
    expect(second).toMatchObject({ unchanged: ["kb/dome.txt", "kb/hours.md"], removed: ["kb/fees.csv"] });

    const found = await search({ store, query: "when do public nights start", embedder, k: 2 });
    expect(found.mode).toBe("hybrid");
    expect(found.results[0]?.source).toBe("kb/hours.md");
    expect(found.results[0]?.lines?.start).toBeGreaterThan(0);

    const model = createMockLanguageModel({ reply: "At 21:00 [1]." });
    const answer = await ask({ store, question: "When do public nights start?", model, embedder, k: 2 });
    expect(answer.citations[0]).toMatchObject({ n: 1, source: "kb/hours.md" });
    expect(answer.flagged).toBe(false);
  });
});
