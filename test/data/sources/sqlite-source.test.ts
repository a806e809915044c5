import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSqliteProcess } from "../../../src/data/sources/sqlite-process.js";
import { openSqliteSource } from "../../../src/data/sources/sqlite-source.js";
import { DataLoadError } from "../../../src/spec/errors.js";
import { BOMB, describeSourceConformance } from "./conformance.js";
import { datasetStatements, directorySnapshot } from "./fixtures.js";
import { describeHostileSuite, type HostileContext } from "./hostile.js";

const dir = mkdtempSync(join(tmpdir(), "weft-sqlite-source-"));
const dbFile = join(dir, "wells.sqlite");
const canary = join(dir, "canary.csv");
const secret = `canary-${Math.random().toString(36).slice(2)}`;
const context = (): HostileContext => ({ canary, secret, dir, dbFile });

beforeAll(() => {
  writeFileSync(canary, `secret\n${secret}\n`);
  chmodSync(dir, 0o755);
  const db = new Database(dbFile);
  for (const sql of datasetStatements("sqlite")) db.exec(sql);
  db.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = () => openSqliteSource({ path: dbFile });
const ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r";

describeSourceConformance("sqlite", "sqlite", open, { endlessRowsSql: ENDLESS });

describeHostileSuite("sqlite", "sqlite", open, context, {
  snapshot: async () => directorySnapshot(dir),
  bomb: true,
});

describe("sqlite source", () => {
  it("converts SQLite's values to JSON-safe cells and names expression types from the values", async () => {
    const source = await open();
    try {
      const { rows, columns } = await source.run(
        "SELECT x'AABBCC' AS b, 9223372036854775807 AS big, 7 AS small, 1.5 AS real, 1e999 AS inf, 'text' AS t, NULL AS n",
      );
      expect(rows).toEqual([["<blob 3 bytes>", "9223372036854775807", 7, 1.5, "Infinity", "text", null]]);
      expect(columns).toEqual([
        { name: "b", type: "BLOB" },
        { name: "big", type: "INTEGER" },
        { name: "small", type: "INTEGER" },
        { name: "real", type: "REAL" },
        { name: "inf", type: "REAL" },
        { name: "t", type: "TEXT" },
        { name: "n", type: "" },
      ]);
      expect((await source.run("SELECT depth FROM wells LIMIT 1")).columns).toEqual([{ name: "depth", type: "REAL" }]);
    } finally {
      await source.close();
    }
  });

  it("refuses a missing file and a file that is not SQLite, saying what to do", async () => {
    const missing = await openSqliteSource({ path: join(dir, "nope.sqlite") }).catch((e: unknown) => e);
    expect(DataLoadError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toContain("nope.sqlite");
    const csv = await openSqliteSource({ path: canary }).catch((e: unknown) => e);
    expect(DataLoadError.isInstance(csv)).toBe(true);
    expect((csv as Error).message).toMatch(/not a SQLite database.*\{ file \}/);
  });

  it("skips views that can no longer be read", async () => {
    const path = join(dir, "broken-view.sqlite");
    const db = new Database(path);
    db.exec("CREATE TABLE t (a INTEGER); CREATE VIEW v AS SELECT a FROM t; DROP TABLE t; CREATE TABLE ok (b TEXT)");
    db.close();
    const source = await openSqliteSource({ path });
    try {
      expect((await source.tables()).map((t) => t.name)).toEqual(["ok"]);
    } finally {
      await source.close();
      rmSync(path, { force: true });
    }
  });
});

describe("sqlite engine layer (the checks behind the SQL gate)", () => {
  // These statements go to the SQLite process directly, as if the SQL gate had missed them.
  let sqlite: Awaited<ReturnType<typeof startSqliteProcess>>;
  beforeAll(async () => {
    sqlite = await startSqliteProcess(dbFile);
  });
  afterAll(async () => {
    await sqlite.close();
  });
  const ask = (sql: string) => sqlite.request({ mode: "run", sql, maxRows: 10 }).reply;

  it("refuses statements that are not queries or that write", async () => {
    const before = directorySnapshot(dir);
    for (const sql of [
      "DELETE FROM wells",
      "INSERT INTO wells (id, field) VALUES (9, 'x') RETURNING id",
      `VACUUM INTO '${join(dir, "copy.db")}'`,
      `ATTACH '${join(dir, "evil.db")}' AS evil`,
      "PRAGMA query_only = 0",
      "CREATE TEMP TABLE t AS SELECT 1",
    ]) {
      const reply = await ask(sql);
      expect(reply.ok, sql).toBe(false);
      expect(reply.ok === false && reply.kind, sql).toMatch(/^not-/);
    }
    expect(directorySnapshot(dir)).toEqual(before);
  });

  it("has load_extension() disabled", async () => {
    const reply = await ask(`SELECT load_extension('${join(dir, "evil")}')`);
    expect(reply).toMatchObject({ ok: false, message: expect.stringMatching(/not authorized/) });
  });

  it("kills a runaway query's process and starts a new one for the next request", async () => {
    const pending = sqlite.request({ mode: "run", sql: BOMB, maxRows: 1 });
    setTimeout(() => pending.interrupt(), 200);
    await expect(pending.reply).rejects.toThrow(/SIGKILL/);
    await expect(ask("SELECT count(*) FROM wells")).resolves.toMatchObject({ ok: true, rows: [[4]] });
  });

  it("drops a queued request when it is interrupted before it starts", async () => {
    const running = sqlite.request({ mode: "run", sql: BOMB, maxRows: 1 });
    const queued = sqlite.request({ mode: "run", sql: "SELECT 1", maxRows: 1 });
    queued.interrupt();
    await expect(queued.reply).rejects.toThrow(/before it started/);
    running.interrupt();
    await expect(running.reply).rejects.toThrow();
    await expect(ask("SELECT 2")).resolves.toMatchObject({ ok: true, rows: [[2]] });
  });
});

describe("sqlite source process lifetime", () => {
  it("lets a program end, whether or not it closed its sources", async () => {
    const { spawn } = await import("node:child_process");
    const module = new URL("../../../src/data/sources/sqlite-source.ts", import.meta.url).pathname;
    const script = `
      import { openSqliteSource } from ${JSON.stringify(module)};
      const closed = await openSqliteSource({ path: ${JSON.stringify(dbFile)} });
      console.log(JSON.stringify((await closed.run("SELECT count(*) FROM wells")).rows));
      await closed.close();
      const open = await openSqliteSource({ path: ${JSON.stringify(dbFile)} });
      console.log(JSON.stringify((await open.run("SELECT count(*) FROM production")).rows));
      console.log("done");`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(out.trim().split("\n")).toEqual(["[[4]]", "[[50]]", "done"]);
    expect(code).toBe(0);
  });
});
