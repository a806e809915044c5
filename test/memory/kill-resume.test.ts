import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { indexPaths } from "../../src/memory/index-paths.js";
import type { Store } from "../../src/spec/store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { createMockEmbeddingModel } from "../../src/testing/mock-embedding-model.js";
import { tempDir, writeFiles } from "./helpers.js";

const FILES = 160;
const child = resolve(import.meta.dirname, "fixtures/index-child.ts");

/** A markdown file with many sections, so each document is many chunks and its write takes a while. */
function generated(i: number): string {
  const sections = Array.from({ length: 24 }, (_, j) => {
    const words = Array.from({ length: 70 }, (_, w) => `word${(i * 31 + j * 7 + w) % 997}`).join(" ");
    return `## Section ${j}\n\nmarker${i}x${j} ${words}.`;
  });
  return `# Document ${i}\n\nSTART${i}\n\n${sections.join("\n\n")}\n\nEND${i}\n`;
}

type Snapshot = Map<string, string[]>;

async function snapshot(store: Store): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const doc of await store.documents.list()) {
    out.set(
      doc.id,
      (await store.documents.chunks(doc.id)).map((c) => `${c.ordinal}|${c.id}|${c.text}|${c.embedding?.length}`),
    );
  }
  return out;
}

/** Runs the indexing child and SIGKILLs it once it has handled `killAfter` files. */
function indexAndKill(db: string, folder: string, killAfter: number): Promise<{ killed: boolean; handled: number }> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, db, folder], { stdio: ["ignore", "pipe", "pipe"] });
    let handled = 0;
    let killed = false;
    let stderr = "";
    proc.stderr.on("data", (d) => (stderr += d));
    proc.stdout.on("data", (data: Buffer) => {
      for (const line of data.toString().split("\n")) {
        const n = Number(line);
        if (line && Number.isInteger(n)) handled = Math.max(handled, n);
      }
      if (!killed && handled >= killAfter) {
        killed = true;
        proc.kill("SIGKILL");
      }
    });
    proc.on("error", fail);
    proc.on("close", (code, signal) => {
      if (!killed && code !== 0) fail(new Error(`child failed (${code ?? signal}): ${stderr}`));
      else done({ killed: killed && signal === "SIGKILL", handled });
    });
  });
}

describe("an indexing run killed with SIGKILL", () => {
  let folder: string;
  let reference: Snapshot;

  beforeAll(async () => {
    folder = tempDir("weft-kill-corpus-");
    writeFiles(folder, Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`docs/${i}.md`, generated(i)])));
    const store = await openSqliteStore({ path: join(tempDir(), "reference.db") });
    await indexPaths({ store, paths: ["."], cwd: folder, embedder: createMockEmbeddingModel({ dimensions: 64 }) });
    reference = await snapshot(store);
    await store.close();
  });

  it("leaves only whole documents, and the next run completes the index with no duplicates", async () => {
    const db = join(tempDir(), "weft.db");
    const run = await indexAndKill(db, folder, Math.floor(FILES / 4));
    expect(run.killed).toBe(true);

    // No chunk without its document, and the full-text index matches the chunk table.
    const raw = new Database(db);
    const orphans = raw
      .prepare("SELECT count(*) AS n FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)")
      .get() as { n: number };
    expect(orphans.n).toBe(0);
    // FTS5 checks its index against the chunk rows; it throws on any difference.
    expect(() => raw.prepare("INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')").run()).not.toThrow();
    raw.close();

    const store = await openSqliteStore({ path: db });
    try {
      const afterKill = await snapshot(store);
      expect(afterKill.size).toBeGreaterThan(0);
      expect(afterKill.size).toBeLessThan(FILES);
      // Every document present is exactly the complete document, never a part of one.
      for (const [id, chunks] of afterKill) expect(chunks).toEqual(reference.get(id));
      const someId = [...afterKill.keys()][0] as string;
      const i = someId.match(/(\d+)\.md$/)?.[1];
      const hits = await store.documents.searchText(`marker${i}x3`, { limit: 50 });
      expect(hits.map((h) => h.chunk.documentId)).toEqual([someId]);

      const resumed = await indexPaths({
        store,
        paths: ["."],
        cwd: folder,
        embedder: createMockEmbeddingModel({ dimensions: 64 }),
      });
      expect(resumed.unchanged).toHaveLength(afterKill.size);
      expect(resumed.added).toHaveLength(FILES - afterKill.size);
      expect(resumed.failed).toEqual([]);
      const final = await snapshot(store);
      expect(final).toEqual(reference);
      const chunkCount = [...reference.values()].reduce((n, c) => n + c.length, 0);
      expect(await store.documents.count()).toEqual({ documents: FILES, chunks: chunkCount });
    } finally {
      await store.close();
    }
  });
});
