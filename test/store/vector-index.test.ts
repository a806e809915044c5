import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import type { ChunkRecord, DocumentRecord, Store } from "../../src/spec/store.js";
import { encodeVector } from "../../src/store/sqlite-documents.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { VectorIndexEvent, VectorIndexOptions } from "../../src/store/vector-index.js";
import { describeStoreConformance } from "./conformance.js";

const root = mkdtempSync(path.join(tmpdir(), "weft-vector-index-"));
let counter = 0;
const freshPath = () => path.join(root, `store-${++counter}`, "weft.db");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DIMENSIONS = 64;
const CHUNKS_PER_DOCUMENT = 10;

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomVector(next: () => number): number[] {
  return Array.from({ length: DIMENSIONS }, () => next() * 2 - 1);
}

function makeDocument(id: string, next: () => number): { document: DocumentRecord; chunks: ChunkRecord[] } {
  return {
    document: { id, source: `docs/${id}.md`, contentHash: `hash-${id}`, metadata: {} },
    chunks: Array.from({ length: CHUNKS_PER_DOCUMENT }, (_, ordinal) => ({
      id: `${id}#${ordinal}`,
      documentId: id,
      ordinal,
      text: `chunk ${ordinal} of ${id}`,
      metadata: {},
      embedding: randomVector(next),
    })),
  };
}

async function fill(store: Store, documents: number, seed: number, prefix = "doc"): Promise<void> {
  const next = random(seed);
  for (let i = 0; i < documents; i++) {
    const { document, chunks } = makeDocument(`${prefix}-${i}`, next);
    await store.documents.put(document, chunks);
  }
}

interface Opened {
  store: Store;
  events: VectorIndexEvent[];
  count: (type: VectorIndexEvent["type"]) => number;
}

async function open(file: string, options: VectorIndexOptions = {}): Promise<Opened> {
  const events: VectorIndexEvent[] = [];
  const store = await openSqliteStore({
    path: file,
    vectorIndex: { threshold: 100, ...options, onEvent: (event) => events.push(event) },
  });
  return { store, events, count: (type) => events.filter((event) => event.type === type).length };
}

const ids = (hits: Array<{ chunk: { id: string } }>) => hits.map((hit) => hit.chunk.id);

describeStoreConformance(
  "sqlite with the approximate index from 1 vector",
  () => openSqliteStore({ path: freshPath(), vectorIndex: { threshold: 1 } }),
  { reopen: (store) => openSqliteStore({ path: store.location, vectorIndex: { threshold: 1 } }) },
);

describe("approximate vector index (usearch HNSW)", () => {
  it("matches the exact search (recall@10 >= 0.95) with the same cosine scores", async () => {
    const file = freshPath();
    const { store, count } = await open(file);
    const exact = await openSqliteStore({ path: file, vectorIndex: false });
    try {
      await fill(store, 300, 1);
      const next = random(99);
      let found = 0;
      const queries = 30;
      for (let q = 0; q < queries; q++) {
        const query = randomVector(next);
        const approximate = await store.documents.searchVector(query, { limit: 10 });
        const truth = await exact.documents.searchVector(query, { limit: 10 });
        expect(approximate).toHaveLength(10);
        const scores = new Map(truth.map((hit) => [hit.chunk.id, hit.score]));
        for (const hit of approximate) {
          if (scores.has(hit.chunk.id)) {
            found++;
            expect(hit.score).toBeCloseTo(scores.get(hit.chunk.id) as number, 5);
          }
        }
        const sorted = [...approximate].sort((a, b) => b.score - a.score);
        expect(ids(approximate)).toEqual(ids(sorted));
      }
      expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.95);
      expect(count("rebuild")).toBe(1);
      expect(existsSync(`${file}.hnsw`)).toBe(true);
      expect(existsSync(`${file}.hnsw.stamp`)).toBe(true);
    } finally {
      await exact.close();
      await store.close();
    }
  });

  it("never returns deleted or replaced chunks, catching up without a rebuild", async () => {
    const file = freshPath();
    const { store, count } = await open(file);
    try {
      await fill(store, 50, 2);
      const chunks = await store.documents.chunks("doc-49");
      const target = chunks[3]?.embedding as number[];
      expect(ids(await store.documents.searchVector(target, { limit: 1 }))).toEqual(["doc-49#3"]);
      expect(count("rebuild")).toBe(1);

      // doc-49 holds the highest rows, so SQLite hands its row numbers to the next insert.
      await store.documents.delete("doc-49");
      const replacement = makeDocument("doc-new", random(3));
      await store.documents.put(replacement.document, replacement.chunks);
      const old = await store.documents.chunks("doc-10");
      const newer = makeDocument("doc-10", random(4));
      await store.documents.put(newer.document, newer.chunks);

      const afterDelete = await store.documents.searchVector(target, { limit: 20 });
      expect(afterDelete).toHaveLength(20);
      expect(afterDelete.some((hit) => hit.document.id === "doc-49")).toBe(false);
      for (const chunk of old) {
        const hits = await store.documents.searchVector(chunk.embedding as number[], { limit: 10 });
        expect(hits[0]?.score ?? 0).toBeLessThan(0.9999);
      }
      for (const chunk of [...replacement.chunks, ...newer.chunks]) {
        const [best] = await store.documents.searchVector(chunk.embedding as number[], { limit: 1 });
        expect(best?.chunk.id).toBe(chunk.id);
        expect(best?.score).toBeCloseTo(1, 5);
      }
      expect(count("rebuild")).toBe(1);
      expect(count("catch-up")).toBeGreaterThanOrEqual(1);
    } finally {
      await store.close();
    }
  });

  it("respects documentIds for large and small subsets", async () => {
    const file = freshPath();
    const { store } = await open(file);
    const exact = await openSqliteStore({ path: file, vectorIndex: false });
    try {
      await fill(store, 60, 5);
      const large = Array.from({ length: 30 }, (_, i) => `doc-${i * 2}`);
      const small = ["doc-1", "doc-3", "missing"];
      const next = random(6);
      for (let q = 0; q < 5; q++) {
        const query = randomVector(next);
        for (const documentIds of [large, small]) {
          const hits = await store.documents.searchVector(query, { limit: 10, documentIds });
          expect(hits).toHaveLength(10);
          expect(hits.every((hit) => documentIds.includes(hit.document.id))).toBe(true);
          const truth = await exact.documents.searchVector(query, { limit: 10, documentIds });
          const overlap = ids(hits).filter((id) => ids(truth).includes(id)).length;
          expect(overlap).toBeGreaterThanOrEqual(8);
        }
      }
    } finally {
      await exact.close();
      await store.close();
    }
  });

  it("reuses a file whose stamp matches and catches up changes made while it was closed", async () => {
    const file = freshPath();
    const first = await open(file);
    await fill(first.store, 40, 7);
    const query = (await first.store.documents.chunks("doc-5"))[0]?.embedding as number[];
    expect(ids(await first.store.documents.searchVector(query, { limit: 1 }))).toEqual(["doc-5#0"]);
    await first.store.close();

    const second = await open(file);
    try {
      expect(ids(await second.store.documents.searchVector(query, { limit: 1 }))).toEqual(["doc-5#0"]);
      expect(second.count("load")).toBe(1);
      expect(second.count("rebuild")).toBe(0);
    } finally {
      await second.store.close();
    }

    // Another program changes the database directly; the triggers log it for the next open.
    const raw = new Database(file);
    raw.prepare("DELETE FROM chunks WHERE document_id = 'doc-5'").run();
    const moved = randomVector(random(8));
    raw.prepare("UPDATE chunks SET embedding = ? WHERE id = 'doc-6#0'").run(encodeVector(moved));
    raw.close();

    const third = await open(file);
    try {
      const hits = await third.store.documents.searchVector(query, { limit: 10 });
      expect(hits.some((hit) => hit.document.id === "doc-5")).toBe(false);
      expect(ids(await third.store.documents.searchVector(moved, { limit: 1 }))).toEqual(["doc-6#0"]);
      expect(third.count("load")).toBe(1);
      expect(third.count("catch-up")).toBe(1);
      expect(third.count("rebuild")).toBe(0);
    } finally {
      await third.store.close();
    }
  });

  it("rebuilds when the file is missing, damaged, stale beyond the log, or from another store", async () => {
    const file = freshPath();
    const first = await open(file);
    await fill(first.store, 30, 9);
    const query = (await first.store.documents.chunks("doc-2"))[4]?.embedding as number[];
    await first.store.documents.searchVector(query);
    await first.store.close();

    const expectRebuild = async (damage: () => void) => {
      damage();
      const opened = await open(file);
      try {
        expect(ids(await opened.store.documents.searchVector(query, { limit: 1 }))).toEqual(["doc-2#4"]);
        expect(opened.count("rebuild")).toBe(1);
        expect(opened.count("load")).toBe(0);
      } finally {
        await opened.store.close();
      }
    };
    await expectRebuild(() => rmSync(`${file}.hnsw`));
    await expectRebuild(() => {
      const bytes = readFileSync(`${file}.hnsw`);
      bytes.fill(7, 64, 4096);
      writeFileSync(`${file}.hnsw`, bytes);
    });
    await expectRebuild(() => writeFileSync(`${file}.hnsw`, readFileSync(`${file}.hnsw`).subarray(0, 1000)));
    await expectRebuild(() => {
      // Changes the file cannot catch up with: the log no longer reaches back to its stamp.
      const raw = new Database(file);
      raw.prepare("UPDATE chunks SET embedding = ? WHERE id = 'doc-3#0'").run(encodeVector(randomVector(random(10))));
      raw.prepare("DELETE FROM weft_vector_log").run();
      raw.close();
    });
    await expectRebuild(() => {
      const stamp = JSON.parse(readFileSync(`${file}.hnsw.stamp`, "utf8"));
      writeFileSync(`${file}.hnsw.stamp`, JSON.stringify({ ...stamp, storeId: "another-store" }));
    });
  });

  it("stays exact below the threshold and when usearch is missing", async () => {
    const file = freshPath();
    const small = await open(file, { threshold: 1000 });
    try {
      await fill(small.store, 20, 11);
      expect(await small.store.documents.searchVector(randomVector(random(12)))).toHaveLength(10);
      expect(small.events).toEqual([]);
      expect(existsSync(`${file}.hnsw`)).toBe(false);
    } finally {
      await small.store.close();
    }

    const missing = await open(file, { loadUsearch: () => Promise.reject(new Error("Cannot find package 'usearch'")) });
    const exact = await openSqliteStore({ path: file, vectorIndex: false });
    try {
      const query = randomVector(random(13));
      expect(ids(await missing.store.documents.searchVector(query))).toEqual(
        ids(await exact.documents.searchVector(query)),
      );
      await missing.store.documents.searchVector(query);
      expect(missing.events).toHaveLength(1);
      expect(missing.events[0]).toMatchObject({ type: "unavailable", message: /npm install usearch/ });
    } finally {
      await exact.close();
      await missing.store.close();
    }
  });
});
