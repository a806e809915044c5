import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IndexProgress, indexPaths } from "../../src/memory/index-paths.js";
import { AbortError, InvalidArgumentError } from "../../src/spec/errors.js";
import type { Store } from "../../src/spec/store.js";
import { createMockEmbeddingModel } from "../../src/testing/mock-embedding-model.js";
import { tempDir, tempStore, writeFiles } from "./helpers.js";

let store: Store;
let cwd: string;

beforeEach(async () => {
  store = await tempStore();
  cwd = tempDir();
});
afterEach(() => store.close());

const guide = "# Guide\n\n## Install\n\nRun the installer and reboot.\n\n## Use\n\nPress the green button twice.\n";

describe("indexPaths: incremental indexing", () => {
  it("indexes new files, skips unchanged ones, re-indexes changed ones and removes deleted ones", async () => {
    writeFiles(cwd, {
      "docs/guide.md": guide,
      "docs/notes.txt": "The blue door is locked on Sundays.\n",
      "docs/page.html":
        "<html><head><title>Page</title></head><body><h1>Page</h1><p>Owls hoot at dusk.</p></body></html>",
      "docs/image.png": "not indexed: unsupported extension in a folder",
    });
    const first = await indexPaths({ store, paths: ["docs"], cwd });
    expect(first.added).toEqual(["docs/guide.md", "docs/notes.txt", "docs/page.html"]);
    expect(first).toMatchObject({ updated: [], unchanged: [], removed: [], failed: [] });
    expect(first.chunks).toBeGreaterThanOrEqual(3);
    expect(first.totals).toEqual({ documents: 3, chunks: first.chunks });

    const doc = await store.documents.get("docs/guide.md");
    expect(doc).toMatchObject({ source: "docs/guide.md", title: "Guide", metadata: { format: "markdown" } });
    expect(doc?.metadata.path).toBe(join(cwd, "docs/guide.md"));
    const chunks = await store.documents.chunks("docs/guide.md");
    expect(chunks[0]?.id).toBe("docs/guide.md#0");
    const install = chunks.find((c) => c.text.includes("installer"));
    expect(install?.metadata).toMatchObject({ source: "docs/guide.md", headingPath: ["Guide", "Install"] });
    expect(install?.metadata.lineStart).toBeGreaterThan(0);

    const again = await indexPaths({ store, paths: ["docs"], cwd });
    expect(again).toMatchObject({ added: [], updated: [], removed: [], failed: [], chunks: 0 });
    expect(again.unchanged).toEqual(first.added);

    writeFiles(cwd, {
      "docs/notes.txt": "The red door is open every day.\n",
      "docs/table.csv": "name,size\nWren,600\n",
    });
    rmSync(join(cwd, "docs/page.html"));
    const third = await indexPaths({ store, paths: ["docs"], cwd });
    expect(third).toMatchObject({
      added: ["docs/table.csv"],
      updated: ["docs/notes.txt"],
      unchanged: ["docs/guide.md"],
      removed: ["docs/page.html"],
      failed: [],
    });
    expect(await store.documents.get("docs/page.html")).toBeUndefined();
    expect(await store.documents.searchText("blue")).toEqual([]);
    expect((await store.documents.searchText("red door"))[0]?.document.id).toBe("docs/notes.txt");
    const total = (await store.documents.list()).length;
    expect(third.totals.documents).toBe(total);
  });

  it("re-indexes everything when the chunking settings change, because they are part of the hash", async () => {
    writeFiles(cwd, { "a.md": guide });
    await indexPaths({ store, paths: ["a.md"], cwd });
    const changed = await indexPaths({ store, paths: ["a.md"], cwd, chunking: { maxTokens: 8, overlapTokens: 0 } });
    expect(changed.updated).toEqual(["a.md"]);
    expect((await store.documents.chunks("a.md")).length).toBeGreaterThan(1);
  });

  it("names a file that fails to load with its reason, skips it and indexes the rest", async () => {
    writeFiles(cwd, {
      "in/good.md": guide,
      "in/empty.txt": "",
      "in/broken.pdf": "%PDF-1.7 this is not really a pdf",
      "in/junk.docx": new Uint8Array([0, 159, 146, 150, 1, 2, 3, 255]),
    });
    const summary = await indexPaths({ store, paths: ["in"], cwd });
    expect(summary.added).toEqual(["in/good.md"]);
    expect(summary.failed.map((f) => f.source)).toEqual(["in/broken.pdf", "in/empty.txt", "in/junk.docx"]);
    expect(summary.failed.find((f) => f.source === "in/empty.txt")?.reason).toBe("the file is empty");
    for (const f of summary.failed) {
      expect(f.reason.length).toBeGreaterThan(5);
      expect(f.message).toContain(f.reason);
    }
    expect(summary.totals.documents).toBe(1);

    // A file that indexed before and now fails keeps its previous version.
    writeFiles(cwd, { "in/good.md": "" });
    const later = await indexPaths({ store, paths: ["in"], cwd });
    expect(later.failed.map((f) => f.source)).toContain("in/good.md");
    expect(later.removed).toEqual([]);
    expect((await store.documents.searchText("installer"))[0]?.document.id).toBe("in/good.md");
  });

  it("an unsupported file named explicitly fails with the loader's reason instead of being ignored", async () => {
    writeFiles(cwd, { "photo.png": "png" });
    const summary = await indexPaths({ store, paths: ["photo.png"], cwd });
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]?.reason).toMatch(/\.png/);
  });

  it("removes only documents inside the roots of this run (folders, globs, files)", async () => {
    writeFiles(cwd, {
      "one/a.md": "# A\n\nalpha text\n",
      "two/b.md": "# B\n\nbeta text\n",
      "notes/x.md": "# X\n\nxray text\n",
      "notes/y.txt": "yankee text\n",
    });
    await indexPaths({ store, paths: ["one", "two", "notes/*.md", "notes/y.txt"], cwd });
    expect((await store.documents.list()).map((d) => d.id)).toEqual([
      "notes/x.md",
      "notes/y.txt",
      "one/a.md",
      "two/b.md",
    ]);
    rmSync(join(cwd, "two/b.md"));
    rmSync(join(cwd, "notes/x.md"));
    const onlyOne = await indexPaths({ store, paths: ["one"], cwd });
    expect(onlyOne.removed).toEqual([]);
    const glob = await indexPaths({ store, paths: ["notes/*.md"], cwd });
    expect(glob.removed).toEqual(["notes/x.md"]);
    expect(await store.documents.get("notes/y.txt")).toBeDefined();
    const folderGone = await indexPaths({ store, paths: ["two"], cwd });
    expect(folderGone.removed).toEqual(["two/b.md"]);

    // A hidden file indexed by name is not removed by indexing its folder, which skips hidden files.
    writeFiles(cwd, { "one/.draft.md": "# Draft\n\ndelta text\n" });
    await indexPaths({ store, paths: ["one/.draft.md"], cwd });
    const folder = await indexPaths({ store, paths: ["one"], cwd });
    expect(folder).toMatchObject({ removed: [], unchanged: ["one/a.md"] });
    expect(await store.documents.get("one/.draft.md")).toBeDefined();
  });

  it("refuses a path that does not exist and was never indexed", async () => {
    await expect(indexPaths({ store, paths: ["nowhere"], cwd })).rejects.toThrow(/Nothing to index at 'nowhere'/);
    await expect(indexPaths({ store, paths: [], cwd })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("records tags on every document of the run, and reports progress from scan to done", async () => {
    writeFiles(cwd, { "t/a.md": "# A\n\nalpha\n", "t/b.md": "# B\n\nbeta\n" });
    const events: IndexProgress[] = [];
    await indexPaths({ store, paths: ["t"], cwd, tags: ["public"], onProgress: (p) => events.push(p) });
    expect((await store.documents.get("t/a.md"))?.metadata.tags).toEqual(["public"]);
    expect(events[0]).toMatchObject({ phase: "scanned", total: 2, processed: 0 });
    expect(events.filter((e) => e.phase === "file").map((e) => e.processed)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ phase: "done", processed: 2, added: 2 });
    expect(events.at(-1)?.bytes).toBeGreaterThan(0);
  });

  it("stops with AbortError when aborted, leaving whole documents only", async () => {
    writeFiles(
      cwd,
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`many/${i}.md`, `# N${i}\n\nnumber ${i}\n`])),
    );
    const controller = new AbortController();
    const run = indexPaths({
      store,
      paths: ["many"],
      cwd,
      concurrency: 1,
      abortSignal: controller.signal,
      onProgress: (p) => p.processed === 5 && controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    for (const doc of await store.documents.list()) {
      expect((await store.documents.chunks(doc.id)).length).toBeGreaterThan(0);
    }
    const rest = await indexPaths({ store, paths: ["many"], cwd });
    expect(rest.added.length + rest.unchanged.length).toBe(20);
    expect(rest.totals.documents).toBe(20);
  });
});

describe("indexPaths: embedders", () => {
  it("embeds every chunk and records the embedder id and dimension", async () => {
    writeFiles(cwd, { "a.md": guide });
    const embedder = createMockEmbeddingModel({ modelId: "emb-a", dimensions: 16 });
    const summary = await indexPaths({ store, paths: ["a.md"], cwd, embedder });
    expect(summary.embedder).toBe("mock:emb-a");
    expect(await store.documents.getVectorConfig()).toEqual({ embedder: "mock:emb-a", dimensions: 16 });
    const chunks = await store.documents.chunks("a.md");
    expect(chunks.every((c) => c.embedding?.length === 16)).toBe(true);
    // The heading path is embedded with the text, which places the passage.
    expect(embedder.calls.flat().some((v) => v.startsWith("Guide > Install\n\n"))).toBe(true);
  });

  it("re-indexes when an embedder is added to a full-text index", async () => {
    writeFiles(cwd, { "a.md": guide });
    await indexPaths({ store, paths: ["a.md"], cwd });
    const embedder = createMockEmbeddingModel({ dimensions: 8 });
    const summary = await indexPaths({ store, paths: ["a.md"], cwd, embedder });
    expect(summary.updated).toEqual(["a.md"]);
  });

  it("refuses another embedder, or none, with a message naming both and how to rebuild", async () => {
    writeFiles(cwd, { "a.md": guide });
    await indexPaths({ store, paths: ["a.md"], cwd, embedder: createMockEmbeddingModel({ modelId: "emb-a" }) });
    const other = createMockEmbeddingModel({ modelId: "emb-b" });
    const refused = indexPaths({ store, paths: ["a.md"], cwd, embedder: other });
    await expect(refused).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(indexPaths({ store, paths: ["a.md"], cwd, embedder: other })).rejects.toThrow(
      /built with mock:emb-a \(32 dimensions\), not mock:emb-b.*--embedder mock:emb-a.*--rebuild/,
    );
    await expect(indexPaths({ store, paths: ["a.md"], cwd })).rejects.toThrow(/no embedder was given/);
    expect(other.calls).toEqual([]);

    const rebuilt = await indexPaths({ store, paths: ["a.md"], cwd, embedder: other, rebuild: true });
    expect(rebuilt.added).toEqual(["a.md"]);
    expect(await store.documents.getVectorConfig()).toEqual({ embedder: "mock:emb-b", dimensions: 32 });
  });

  it("refuses the same embedder id when it now produces vectors of another dimension", async () => {
    writeFiles(cwd, { "a.md": guide, "b.md": "# B\n\nbeta\n" });
    await indexPaths({ store, paths: ["a.md"], cwd, embedder: createMockEmbeddingModel({ dimensions: 8 }) });
    const wider = createMockEmbeddingModel({ dimensions: 12 });
    await expect(indexPaths({ store, paths: ["b.md"], cwd, embedder: wider })).rejects.toThrow(/12.*8|8.*12/);
    expect(await store.documents.get("b.md")).toBeUndefined();
  });

  it("stops on an embedding failure instead of writing documents without vectors", async () => {
    writeFiles(cwd, { "a.md": guide });
    const failing = createMockEmbeddingModel({
      embed: () => {
        throw new Error("embedding service down");
      },
    });
    await expect(indexPaths({ store, paths: ["a.md"], cwd, embedder: failing, maxRetries: 0 })).rejects.toThrow(
      /embedding service down/,
    );
    expect(await store.documents.count()).toEqual({ documents: 0, chunks: 0 });
  });
});

describe("indexPaths: large files", () => {
  it("fails a file over maxBytes without reading it", async () => {
    writeFileSync(join(cwd, "big.txt"), "x ".repeat(5000));
    const summary = await indexPaths({ store, paths: ["big.txt"], cwd, maxBytes: 1000 });
    expect(summary.failed[0]?.reason).toMatch(/over the .* limit/);
  });
});
