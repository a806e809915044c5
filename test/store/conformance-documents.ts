/** Conformance tests for documents, chunks, full-text and vector search. */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, StoreError } from "../../src/spec/errors.js";
import type { ChunkRecord, Store } from "../../src/spec/store.js";
import { cosine, sampleDocument } from "./fixtures.js";

const OPERATOR_QUERIES = [
  '"quantum',
  "quantum AND",
  "quantum AND NOT",
  "-quantum",
  "quantum:",
  "text:quantum",
  "quant*",
  "(quantum OR",
  "NEAR(quantum, 2)",
  "'quantum'",
  "quantum & | ! <-> :*",
  "^quantum",
  "quantum)) ((",
  "\"\" '' () * : -",
  "AND",
  "OR NOT NEAR",
  "\\quantum\\",
  "quantum; DROP TABLE chunks; --",
];

async function putAll(store: Store, docs: Array<ReturnType<typeof sampleDocument>>): Promise<void> {
  for (const { document, chunks } of docs) await store.documents.put(document, chunks);
}

export function describeDocumentConformance(current: () => Store): void {
  describe("documents", () => {
    it("stores documents and chunks and reads them back", async () => {
      const { document, chunks } = sampleDocument(
        "guide",
        ["Ein Bär läuft über die Straße — café naïve 東京 🚀", "second chunk", "third chunk"],
        [[0.5, -0.25, 1], undefined, [0.1, 0.2, 0.3]],
        { title: "The guide", updatedAt: "2025-01-02T03:04:05.000Z", metadata: { tags: ["a", "ü"], n: 1 } },
      );
      await current().documents.put(document, [chunks[2], chunks[0], chunks[1]] as ChunkRecord[]);
      expect(await current().documents.get("guide")).toEqual(document);
      const stored = await current().documents.chunks("guide");
      expect(stored.map((c) => c.id)).toEqual(["guide#0", "guide#1", "guide#2"]);
      expect(stored[0]).toEqual(chunks[0]);
      expect(stored[1]).toEqual(chunks[1]);
      expect(stored[1]).not.toHaveProperty("embedding");
      expect(stored[2]?.embedding?.map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.2, 0.3]);
      expect(await current().documents.count()).toEqual({ documents: 1, chunks: 3 });
    });

    it("sets updatedAt when missing and omits a missing title", async () => {
      const { document, chunks } = sampleDocument("plain", ["text"]);
      await current().documents.put(document, chunks);
      const stored = await current().documents.get("plain");
      expect(stored).toMatchObject({ id: "plain", source: "docs/plain.md", contentHash: "hash-plain" });
      expect(stored).not.toHaveProperty("title");
      expect(Number.isNaN(Date.parse(stored?.updatedAt ?? ""))).toBe(false);
    });

    it("lists documents by id and returns undefined / [] for unknown ids", async () => {
      await putAll(current(), [sampleDocument("b", ["x"]), sampleDocument("a", []), sampleDocument("c", ["y", "z"])]);
      expect((await current().documents.list()).map((d) => d.id)).toEqual(["a", "b", "c"]);
      expect(await current().documents.get("zz")).toBeUndefined();
      expect(await current().documents.chunks("zz")).toEqual([]);
      expect(await current().documents.count()).toEqual({ documents: 3, chunks: 3 });
    });

    it("put replaces the document and all of its chunks", async () => {
      await putAll(current(), [sampleDocument("doc", ["old alpha", "old beta", "old gamma"])]);
      const next = sampleDocument("doc", ["new delta"], undefined, { contentHash: "hash-new" });
      await current().documents.put(next.document, next.chunks);
      expect((await current().documents.get("doc"))?.contentHash).toBe("hash-new");
      expect((await current().documents.chunks("doc")).map((c) => c.text)).toEqual(["new delta"]);
      expect(await current().documents.searchText("alpha")).toEqual([]);
      expect((await current().documents.searchText("delta")).map((h) => h.chunk.id)).toEqual(["doc#0"]);
      expect(await current().documents.count()).toEqual({ documents: 1, chunks: 1 });
    });

    it("a put whose chunk insert fails leaves the old version intact", async () => {
      const old = sampleDocument("doc", ["old alpha", "old beta"]);
      await current().documents.put(old.document, old.chunks);
      const broken = sampleDocument("doc", ["new gamma", "new delta"], undefined, { contentHash: "hash-new" });
      (broken.chunks[1] as ChunkRecord).id = "doc#0";
      await expect(current().documents.put(broken.document, broken.chunks)).rejects.toSatisfy(StoreError.isInstance);
      expect(await current().documents.get("doc")).toEqual({ ...old.document, updatedAt: expect.any(String) });
      expect(await current().documents.chunks("doc")).toEqual(old.chunks);
      expect(await current().documents.searchText("gamma")).toEqual([]);
      expect((await current().documents.searchText("alpha")).map((h) => h.chunk.id)).toEqual(["doc#0"]);
      expect(await current().documents.count()).toEqual({ documents: 1, chunks: 2 });
    });

    it("a chunk id taken by another document fails the put and changes neither document", async () => {
      await putAll(current(), [sampleDocument("other", ["other words"]), sampleDocument("doc", ["doc words"])]);
      const clash = sampleDocument("doc", ["replacement"], undefined, { contentHash: "hash-new" });
      (clash.chunks[0] as ChunkRecord).id = "other#0";
      await expect(current().documents.put(clash.document, clash.chunks)).rejects.toThrow();
      expect((await current().documents.get("doc"))?.contentHash).toBe("hash-doc");
      expect((await current().documents.chunks("doc")).map((c) => c.text)).toEqual(["doc words"]);
      expect((await current().documents.chunks("other")).map((c) => c.text)).toEqual(["other words"]);
    });

    it("refuses chunks of another document before writing anything", async () => {
      const { document, chunks } = sampleDocument("doc", ["text"]);
      (chunks[0] as ChunkRecord).documentId = "someone-else";
      await expect(current().documents.put(document, chunks)).rejects.toSatisfy(InvalidArgumentError.isInstance);
      expect(await current().documents.count()).toEqual({ documents: 0, chunks: 0 });
    });

    it("stores many chunks in one put", async () => {
      const texts = Array.from({ length: 1203 }, (_, i) => `chunk number ${i}`);
      const vectors = texts.map((_, i) => [1, i / 1000, 0.5]);
      const { document, chunks } = sampleDocument("big", texts, vectors);
      await current().documents.put(document, chunks);
      const stored = await current().documents.chunks("big");
      expect(stored).toHaveLength(1203);
      expect(stored.map((c) => c.ordinal)).toEqual(texts.map((_, i) => i));
      expect(await current().documents.count()).toEqual({ documents: 1, chunks: 1203 });
    });

    it("delete removes the document and its chunks from every index", async () => {
      await putAll(current(), [
        sampleDocument("gone", ["vanishing words"], [[1, 0]]),
        sampleDocument("kept", ["remaining words"], [[0, 1]]),
      ]);
      expect(await current().documents.delete("gone")).toBe(true);
      expect(await current().documents.delete("gone")).toBe(false);
      expect(await current().documents.get("gone")).toBeUndefined();
      expect(await current().documents.chunks("gone")).toEqual([]);
      expect(await current().documents.searchText("vanishing")).toEqual([]);
      expect((await current().documents.searchVector([1, 0])).map((h) => h.chunk.id)).toEqual(["kept#0"]);
      expect(await current().documents.count()).toEqual({ documents: 1, chunks: 1 });
    });

    it("keeps the vector config", async () => {
      await current().documents.setVectorConfig({ embedder: "local:model.gguf", dimensions: 64 });
      expect(await current().documents.getVectorConfig()).toEqual({ embedder: "local:model.gguf", dimensions: 64 });
      await current().documents.setVectorConfig({ embedder: "openai:text-embedding-3-small", dimensions: 3 });
      expect(await current().documents.getVectorConfig()).toEqual({
        embedder: "openai:text-embedding-3-small",
        dimensions: 3,
      });
      await expect(current().documents.setVectorConfig({ embedder: "x", dimensions: 0 })).rejects.toSatisfy(
        InvalidArgumentError.isInstance,
      );
    });

    it("refuses vectors whose dimension differs from the config or from the stored ones", async () => {
      const three = sampleDocument("three", ["x"], [[1, 0, 0]]);
      await current().documents.put(three.document, three.chunks);
      const four = sampleDocument("four", ["x"], [[1, 0, 0, 0]]);
      await expect(current().documents.put(four.document, four.chunks)).rejects.toSatisfy(
        InvalidArgumentError.isInstance,
      );
      const mixed = sampleDocument(
        "mixed",
        ["x", "y"],
        [
          [1, 0, 0],
          [1, 0],
        ],
      );
      await expect(current().documents.put(mixed.document, mixed.chunks)).rejects.toSatisfy(
        InvalidArgumentError.isInstance,
      );
      await current().documents.setVectorConfig({ embedder: "e", dimensions: 2 });
      const two = sampleDocument("two", ["x"], [[1, 0]]);
      await expect(current().documents.put(three.document, three.chunks)).rejects.toSatisfy(
        InvalidArgumentError.isInstance,
      );
      await current().documents.put(two.document, two.chunks);
      expect(await current().documents.get("four")).toBeUndefined();
      expect(await current().documents.get("mixed")).toBeUndefined();
    });
  });

  describe("full-text search", () => {
    const corpus = () => [
      sampleDocument("often", ["Quantum computers use quantum bits, and a quantum state can be superposed."]),
      sampleDocument("once", ["Classical computers use plain bits; one sentence here mentions quantum."]),
      sampleDocument("never", ["Gardening tips for tomatoes and peppers during the summer season."]),
      sampleDocument("unicode", ["Ein Bär läuft über die Straße — café naïve 東京 🚀"]),
    ];

    it("ranks the chunk with the query terms more often first, higher score is better", async () => {
      await putAll(current(), corpus());
      const hits = await current().documents.searchText("quantum");
      expect(hits.map((h) => h.chunk.id)).toEqual(["often#0", "once#0"]);
      expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Number.POSITIVE_INFINITY);
      expect(hits[1]?.score).toBeGreaterThan(0);
      expect(hits[0]?.document).toEqual(await current().documents.get("often"));
      expect(hits[0]?.chunk).toEqual((await current().documents.chunks("often"))[0]);
    });

    it("finds chunks with any of the terms, more matching terms first", async () => {
      await putAll(current(), [
        sampleDocument("both", ["The river flooded the yard of the old mill."]),
        sampleDocument("river", ["The river ran quietly past the wheat fields."]),
        sampleDocument("mill", ["The old mill stood empty for many years."]),
        sampleDocument("neither", ["Gardening tips for tomatoes in the summer."]),
      ]);
      const hits = await current().documents.searchText("river mill");
      expect(hits.map((h) => h.chunk.id)[0]).toBe("both#0");
      expect(hits.map((h) => h.chunk.id).sort()).toEqual(["both#0", "mill#0", "river#0"]);
    });

    it("matches word forms through stemming", async () => {
      await putAll(current(), corpus());
      expect((await current().documents.searchText("tomato gardens")).map((h) => h.chunk.id)).toEqual(["never#0"]);
      expect((await current().documents.searchText("computer")).map((h) => h.chunk.id).sort()).toEqual([
        "often#0",
        "once#0",
      ]);
    });

    it("finds accented words", async () => {
      await putAll(current(), corpus());
      expect((await current().documents.searchText("läuft")).map((h) => h.chunk.id)).toEqual(["unicode#0"]);
      expect((await current().documents.searchText("café")).map((h) => h.chunk.id)).toEqual(["unicode#0"]);
    });

    it("never throws on query syntax: quotes, operators, parentheses, prefixes, columns", async () => {
      await putAll(current(), corpus());
      for (const query of OPERATOR_QUERIES) {
        const hits = await current().documents.searchText(query);
        if (/quantum/i.test(query)) expect(hits[0]?.chunk.id, query).toBe("often#0");
      }
      expect(await current().documents.searchText("")).toEqual([]);
      expect(await current().documents.searchText("  !!! ... ()  ")).toEqual([]);
    });

    it("never throws on random mixes of operators, quotes and unicode", async () => {
      await putAll(current(), corpus());
      const pieces = [
        '"',
        "'",
        "-",
        ":",
        "*",
        "(",
        ")",
        "^",
        "&",
        "|",
        "!",
        "<->",
        "\\",
        " AND ",
        " OR ",
        " NOT ",
        "NEAR",
        "quantum",
        "läuft",
        "東京",
        "🚀",
        " ",
        "\u0301",
        "{",
        "}",
        "[",
        "]",
        ",",
        ";",
        "%",
        "_",
        "1.5",
      ];
      let seed = 42;
      const next = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed;
      };
      for (let i = 0; i < 60; i++) {
        const query = Array.from({ length: 1 + (next() % 12) }, () => pieces[next() % pieces.length]).join("");
        await expect(current().documents.searchText(query), query).resolves.toBeInstanceOf(Array);
      }
    });

    it("respects limit and documentIds", async () => {
      await putAll(current(), corpus());
      expect((await current().documents.searchText("quantum", { limit: 1 })).map((h) => h.chunk.id)).toEqual([
        "often#0",
      ]);
      const only = await current().documents.searchText("quantum", { documentIds: ["once", "never"] });
      expect(only.map((h) => h.chunk.id)).toEqual(["once#0"]);
      expect(await current().documents.searchText("quantum", { documentIds: [] })).toEqual([]);
    });
  });

  describe("vector search", () => {
    const vectors: Record<string, number[]> = {
      a: [1, 0, 0],
      b: [0.8, 0.6, 0],
      c: [0, 1, 0],
      d: [-1, 0, 0],
    };
    const corpus = () => [
      ...Object.entries(vectors).map(([id, vector]) => sampleDocument(id, [`text of ${id}`], [vector])),
      sampleDocument("none", ["no vector here"]),
      sampleDocument("zero", ["zero vector"], [[0, 0, 0]]),
    ];

    it("returns the nearest chunks by cosine similarity, scored by similarity", async () => {
      await putAll(current(), corpus());
      const query = [1, 0.1, 0];
      const hits = await current().documents.searchVector(query);
      expect(hits.map((h) => h.document.id)).toEqual(["a", "b", "c", "d"]);
      for (const hit of hits) expect(hit.score).toBeCloseTo(cosine(query, vectors[hit.document.id] ?? []), 5);
      expect(hits[0]?.chunk).toEqual((await current().documents.chunks("a"))[0]);
      const scaled = await current().documents.searchVector([10, 1, 0]);
      expect(scaled.map((h) => h.document.id)).toEqual(["a", "b", "c", "d"]);
    });

    it("respects limit and documentIds", async () => {
      await putAll(current(), corpus());
      expect((await current().documents.searchVector([0, 1, 0], { limit: 2 })).map((h) => h.document.id)).toEqual([
        "c",
        "b",
      ]);
      const only = await current().documents.searchVector([1, 0, 0], { documentIds: ["c", "d", "none"] });
      expect(only.map((h) => h.document.id)).toEqual(["c", "d"]);
      expect(await current().documents.searchVector([1, 0, 0], { documentIds: [] })).toEqual([]);
    });

    it("refuses a zero query vector and one of the wrong dimension", async () => {
      await putAll(current(), corpus());
      await expect(current().documents.searchVector([0, 0, 0])).rejects.toSatisfy(InvalidArgumentError.isInstance);
      await current().documents.setVectorConfig({ embedder: "e", dimensions: 3 });
      await expect(current().documents.searchVector([1, 0])).rejects.toSatisfy(InvalidArgumentError.isInstance);
    });
  });
}
