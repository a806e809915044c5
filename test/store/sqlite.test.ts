import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/spec/errors.js";
import { DEFAULT_STORE_PATH, openSqliteStore, openStore } from "../../src/store/index.js";
import { describeStoreConformance } from "./conformance.js";

const root = mkdtempSync(path.join(tmpdir(), "weft-sqlite-"));
let counter = 0;
const freshPath = () => path.join(root, `store-${++counter}`, "weft.db");

afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreConformance("sqlite", () => openSqliteStore({ path: freshPath() }), {
  reopen: (store) => openSqliteStore({ path: store.location }),
});

describe("sqlite store", () => {
  it("creates the file and its parent folders, and reports the absolute path", async () => {
    const file = path.join(root, "nested", "deeper", "weft.db");
    const store = await openSqliteStore({ path: path.relative(process.cwd(), file) });
    try {
      expect(store.kind).toBe("sqlite");
      expect(store.location).toBe(file);
      expect(existsSync(file)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("keeps data across close and reopen, in WAL mode with foreign keys", async () => {
    const file = freshPath();
    const first = await openSqliteStore({ path: file });
    await first.cache.set("gen", "k", { answer: 42 });
    await first.close();
    const second = await openSqliteStore({ path: file });
    try {
      expect(await second.cache.get("gen", "k")).toEqual({ answer: 42 });
    } finally {
      await second.close();
    }
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(raw.prepare("SELECT version, applied_at FROM weft_migrations").all()).toEqual([
        { version: 1, applied_at: expect.any(String) },
      ]);
    } finally {
      raw.close();
    }
  });

  it("rejects a file that is not an SQLite database with a StoreError naming the path", async () => {
    const file = path.join(root, "garbage.db");
    writeFileSync(
      file,
      "this is not a database, just some text that is long enough to look like a header\n".repeat(50),
    );
    const error = await openSqliteStore({ path: file }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/Move it aside/);
  });

  it("refuses a database written by a newer weft and tells the user to upgrade", async () => {
    const file = freshPath();
    await (await openSqliteStore({ path: file })).close();
    const raw = new Database(file);
    raw
      .prepare("INSERT INTO weft_migrations (version, name, applied_at) VALUES (999, 'future', ?)")
      .run(new Date().toISOString());
    raw.close();
    const error = await openSqliteStore({ path: file }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/schema version 999.*Upgrade weft/);
  });

  it("reports use after close as a StoreError", async () => {
    const store = await openSqliteStore({ path: freshPath() });
    await store.close();
    await store.close();
    await expect(store.cache.get("gen", "k")).rejects.toSatisfy(StoreError.isInstance);
  });

  it("supports a throwaway in-memory store", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    try {
      expect(store.location).toBe(":memory:");
      await store.sessions.append("s", [{ role: "user", content: "hi" }]);
      expect((await store.sessions.get("s"))?.messageCount).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe("openStore", () => {
  it("opens SQLite at .weft/weft.db under cwd by default", async () => {
    const cwd = path.join(root, "project");
    const store = await openStore({ cwd });
    try {
      expect(DEFAULT_STORE_PATH).toBe(".weft/weft.db");
      expect(store.kind).toBe("sqlite");
      expect(store.location).toBe(path.join(cwd, ".weft", "weft.db"));
      expect(existsSync(store.location)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("resolves a relative path against cwd", async () => {
    const cwd = path.join(root, "project2");
    const store = await openStore({ cwd, path: "data/my.db" });
    try {
      expect(store.location).toBe(path.join(cwd, "data", "my.db"));
    } finally {
      await store.close();
    }
  });

  it("refuses a URL that is not PostgreSQL instead of silently using the file", async () => {
    await expect(openStore({ url: "mysql://user:pw@host/db" })).rejects.toThrow(/postgres:\/\//);
  });
});
