import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/spec/errors.js";
import { createPostgresStore, type PostgresClient } from "../../src/store/index.js";
import { describeStoreConformance } from "./conformance.js";
import { emptySchema } from "./postgres-fixtures.js";

// One in-process database for the file; the conformance tests share a schema emptied per test.
let db: PGlite;

beforeAll(async () => {
  db = new PGlite({ extensions: { vector } });
  await db.waitReady;
}, 60_000);

afterAll(async () => {
  await db?.close();
});

const open = (schema: string, client: PostgresClient = db) => createPostgresStore({ client, schema });

describeStoreConformance(
  "postgres (PGlite in-process)",
  async () => {
    await emptySchema(db, "conformance");
    return open("conformance");
  },
  { reopen: () => open("conformance") },
);

describe("postgres store on PGlite", () => {
  it("migrates a new schema once when several stores open it at the same time", async () => {
    const stores = await Promise.all([open("race"), open("race"), open("race")]);
    try {
      for (const store of stores) expect(await store.schemaVersion()).toBe(1);
      const { rows } = await db.query<{ version: number }>("SELECT version FROM race.weft_migrations");
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it("keeps weft's tables in the named schema, with a vector column and a GIN full-text index", async () => {
    const store = await open("layout");
    await store.close();
    const { rows } = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'layout' ORDER BY table_name",
    );
    expect(rows.map((r) => r.table_name)).toEqual([
      "cache",
      "chunks",
      "documents",
      "session_messages",
      "sessions",
      "settings",
      "traces",
      "weft_migrations",
    ]);
    const column = await db.query<{ udt_name: string }>(
      "SELECT udt_name FROM information_schema.columns WHERE table_schema = 'layout' AND table_name = 'chunks' AND column_name = 'embedding'",
    );
    expect(column.rows).toEqual([{ udt_name: "vector" }]);
    const index = await db.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = 'layout' AND indexname = 'chunks_tsv'",
    );
    expect(index.rows[0]?.indexdef).toMatch(/USING gin/);
  });

  it("refuses a schema written by a newer weft and tells the user to upgrade", async () => {
    await (await open("future")).close();
    await db.query("INSERT INTO future.weft_migrations (version, name) VALUES (999, 'future')");
    const error = await open("future").catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/schema version 999.*Upgrade weft/);
  });

  it("refuses a schema name that would need quoting", async () => {
    await expect(createPostgresStore({ client: db, schema: 'bad"; DROP' })).rejects.toThrow(/schema name/);
  });

  it("works through a client without transaction(), keeping put atomic", async () => {
    const plain: PostgresClient = { query: (text, params) => db.query(text, params) };
    const store = await open("plain", plain);
    try {
      await store.documents.put({ id: "d", source: "d.md", contentHash: "1", metadata: {} }, [
        { id: "d#0", documentId: "d", ordinal: 0, text: "old words", metadata: {} },
      ]);
      const broken = [0, 1].map((ordinal) => ({ id: "dup", documentId: "d", ordinal, text: "new", metadata: {} }));
      const [failed] = await Promise.allSettled([
        store.documents.put({ id: "d", source: "d.md", contentHash: "2", metadata: {} }, broken),
        store.cache.set("ns", "during", true),
      ]);
      expect(failed.status).toBe("rejected");
      expect((await store.documents.get("d"))?.contentHash).toBe("1");
      expect((await store.documents.chunks("d")).map((c) => c.text)).toEqual(["old words"]);
      expect(await store.cache.get("ns", "during")).toBe(true);
    } finally {
      await store.close();
    }
  });
});
