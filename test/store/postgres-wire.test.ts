import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/spec/errors.js";
import { createPostgresStore, openPostgresStore, openStore, redactUrl } from "../../src/store/index.js";
import { describeStoreConformance } from "./conformance.js";
import { emptySchema } from "./postgres-fixtures.js";

// PGlite served over the Postgres wire protocol on 127.0.0.1, reached with the real `pg` client.
// The server shares this event loop, so nothing here may block it synchronously.
let db: PGlite;
let server: PGLiteSocketServer;
let url: string;

beforeAll(async () => {
  db = new PGlite({ extensions: { vector } });
  await db.waitReady;
  server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 64 });
  await server.start();
  // The password is not checked by PGlite; it is here to prove it never leaks.
  url = `postgres://weft:s3cret-pw@${server.getServerConn()}/postgres`;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await db?.close();
});

const open = (schema: string) => openPostgresStore({ url, schema, maxConnections: 4 });

describeStoreConformance(
  "postgres (pg over the wire to PGlite)",
  async () => {
    await emptySchema(db, "conformance");
    return open("conformance");
  },
  { reopen: () => open("conformance") },
);

describe("postgres store over the wire", () => {
  it("never shows the password in its location or messages", async () => {
    const store = await open("secrets");
    try {
      expect(store.kind).toBe("postgres");
      expect(store.location).not.toContain("s3cret-pw");
      expect(store.location).toContain(server.getServerConn());
      expect(store.location).toContain("weft@");
    } finally {
      await store.close();
    }
    const error = await store.cache.get("ns", "k").catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).not.toContain("s3cret-pw");
  });

  it("redacts passwords in the user info and in parameters", () => {
    expect(redactUrl("postgresql://me:pa%40ss@db.example:5432/app?sslmode=require&password=x")).toBe(
      "postgresql://me@db.example:5432/app?sslmode=require",
    );
    expect(redactUrl("postgres://me:p@ss@[broken")).not.toContain("p@ss");
  });

  it("is what openStore opens for a postgres:// URL", async () => {
    const store = await openStore({ url, path: "ignored.db", schema: "via_open_store" });
    try {
      expect(store.kind).toBe("postgres");
      await store.cache.set("ns", "k", "v");
      const { rows } = await db.query<{ value: string }>("SELECT value FROM via_open_store.cache");
      expect(rows).toEqual([{ value: "v" }]);
    } finally {
      await store.close();
    }
  });

  it("migrates a new schema once when several stores connect at the same time", async () => {
    const stores = await Promise.all([open("race"), open("race"), open("race")]);
    try {
      for (const store of stores) expect(await store.schemaVersion()).toBe(1);
      const { rows } = await db.query<{ version: number }>("SELECT version FROM race.weft_migrations");
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("rolls back a failed put on its own connection while other connections keep working", async () => {
    const store = await open("atomic");
    try {
      const doc = { id: "d", source: "d.md", contentHash: "1", metadata: {} };
      await store.documents.put(doc, [{ id: "d#0", documentId: "d", ordinal: 0, text: "old words", metadata: {} }]);
      const broken = [0, 1].map((ordinal) => ({ id: "dup", documentId: "d", ordinal, text: "new", metadata: {} }));
      const results = await Promise.allSettled([
        store.documents.put({ ...doc, contentHash: "2" }, broken),
        ...Array.from({ length: 5 }, (_, i) => store.cache.set("ns", `k${i}`, i)),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", ...Array(5).fill("fulfilled")]);
      expect((await store.documents.get("d"))?.contentHash).toBe("1");
      expect((await store.documents.chunks("d")).map((c) => c.text)).toEqual(["old words"]);
      expect(await store.cache.clear("ns")).toBe(5);
    } finally {
      await store.close();
    }
  });

  it("recognises a pg.Pool handed to createPostgresStore and runs each put on one connection", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const store = await createPostgresStore({ client: pool, schema: "own_pool" });
    try {
      const doc = { id: "d", source: "d.md", contentHash: "1", metadata: {} };
      await store.documents.put(doc, [{ id: "d#0", documentId: "d", ordinal: 0, text: "old words", metadata: {} }]);
      const broken = [0, 1].map((ordinal) => ({ id: "dup", documentId: "d", ordinal, text: "new", metadata: {} }));
      const results = await Promise.allSettled([
        store.documents.put({ ...doc, contentHash: "2" }, broken),
        store.sessions.append("s", [{ role: "user", content: "concurrent" }]),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
      expect((await store.documents.chunks("d")).map((c) => c.text)).toEqual(["old words"]);
      await store.close();
      // The pool is the caller's: still usable after the store is closed.
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM own_pool.session_messages");
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it("fails to open with a StoreError that names the server but not the password", async () => {
    // A port nothing listens on: take one from a stopped server.
    const spare = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
    await spare.start();
    const deadConn = spare.getServerConn();
    await spare.stop();
    const error = await openPostgresStore({ url: `postgres://weft:s3cret-pw@${deadConn}/postgres` }).catch(
      (e: unknown) => e,
    );
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(deadConn);
    expect((error as Error).message).not.toContain("s3cret-pw");
    expect((error as Error).message).toMatch(/Check that the server is running/);
  });
});
