/**
 * The conformance suite every `Store` implementation must pass. Each test gets a fresh, empty
 * store from `open()` and closes it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/spec/store.js";
import { describeDocumentConformance } from "./conformance-documents.js";
import { describeRecordConformance } from "./conformance-records.js";
import { sampleDocument, sampleTrace } from "./fixtures.js";

export interface ConformanceOptions {
  /** Opens another store on the same database as `store` (which stays open); enables the reopen tests. */
  reopen?: (store: Store) => Promise<Store>;
}

/**
 * Registers the shared tests for one store implementation.
 *
 * @example
 * describeStoreConformance("sqlite", () => openSqliteStore({ path: tempFile() }));
 */
export function describeStoreConformance(
  name: string,
  open: () => Promise<Store>,
  options: ConformanceOptions = {},
): void {
  describe(`${name}: Store conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    const current = () => store;

    it("describes itself", async () => {
      expect(store.specificationVersion).toBe("weft-store-1");
      expect(["sqlite", "postgres"]).toContain(store.kind);
      expect(typeof store.location).toBe("string");
      expect(store.location.length).toBeGreaterThan(0);
      const version = await store.schemaVersion();
      expect(Number.isInteger(version)).toBe(true);
      expect(version).toBeGreaterThanOrEqual(1);
    });

    it("starts empty", async () => {
      expect(await store.traces.list()).toEqual([]);
      expect(await store.sessions.list()).toEqual([]);
      expect(await store.cache.clear()).toBe(0);
      expect(await store.documents.list()).toEqual([]);
      expect(await store.documents.count()).toEqual({ documents: 0, chunks: 0 });
      expect(await store.documents.getVectorConfig()).toBeUndefined();
    });

    describeRecordConformance(current);
    describeDocumentConformance(current);

    describe.skipIf(!options.reopen)("migrations", () => {
      it("reopening the same database applies nothing new and keeps every kind of data", async () => {
        const reopen = options.reopen as NonNullable<ConformanceOptions["reopen"]>;
        const version = await store.schemaVersion();
        await store.traces.insert(sampleTrace({ id: "kept" }));
        await store.sessions.append("kept", [{ role: "user", content: "still here?" }]);
        await store.cache.set("gen", "kept", { text: "yes" });
        await store.documents.setVectorConfig({ embedder: "test:embedder", dimensions: 3 });
        const { document, chunks } = sampleDocument("kept", ["persistent words"], [[1, 0, 0]]);
        await store.documents.put(document, chunks);

        const again = await reopen(store);
        try {
          expect(again.kind).toBe(store.kind);
          expect(await again.schemaVersion()).toBe(version);
          expect((await again.traces.get("kept"))?.id).toBe("kept");
          expect(await again.sessions.messages("kept")).toEqual([{ role: "user", content: "still here?" }]);
          expect(await again.cache.get("gen", "kept")).toEqual({ text: "yes" });
          expect(await again.documents.getVectorConfig()).toEqual({ embedder: "test:embedder", dimensions: 3 });
          expect((await again.documents.searchText("persistent")).map((hit) => hit.chunk.id)).toEqual(["kept#0"]);
          expect((await again.documents.searchVector([1, 0, 0]))[0]?.chunk.id).toBe("kept#0");
        } finally {
          await again.close();
        }
      });

      it("two stores opened on the same database at once see each other's writes", async () => {
        const reopen = options.reopen as NonNullable<ConformanceOptions["reopen"]>;
        const [a, b] = await Promise.all([reopen(store), reopen(store)]);
        try {
          await a.cache.set("ns", "from-a", 1);
          await b.cache.set("ns", "from-b", 2);
          expect(await store.cache.get("ns", "from-a")).toBe(1);
          expect(await a.cache.get("ns", "from-b")).toBe(2);
          expect(await b.schemaVersion()).toBe(await store.schemaVersion());
        } finally {
          await a.close();
          await b.close();
        }
      });
    });
  });
}
