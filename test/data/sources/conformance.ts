/**
 * The conformance suite every DataSource implementation passes, on the dataset of fixtures.ts.
 * The source is opened once per suite (opening is the slow part) and must survive every test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource, SqlDialect } from "../../../src/data/types.js";
import { AbortError, InvalidArgumentError, SqlRejectedError } from "../../../src/spec/errors.js";
import { LONG_NAME, PRODUCTION, WELLS } from "./fixtures.js";

export const BOMB = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT count(*) FROM r";

export interface ConformanceOptions {
  /** SQL yielding endless rows that the engine can stream (never materialise). */
  endlessRowsSql: string;
  /** Why a runaway query cannot be stopped on this engine, to skip the timeout tests visibly. */
  noTimeoutReason?: string;
}

/** Rejects with a SqlRejectedError and returns it. */
export async function rejection(promise: Promise<unknown>): Promise<SqlRejectedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SqlRejectedError.isInstance(error)) {
    throw new Error(`expected a SqlRejectedError, got ${error === undefined ? "success" : String(error)}`);
  }
  return error;
}

/**
 * Registers the shared tests for one engine.
 *
 * @example
 * describeSourceConformance("sqlite", "sqlite", () => openSqliteSource({ path }), { endlessRowsSql });
 */
export function describeSourceConformance(
  name: string,
  dialect: SqlDialect,
  open: () => Promise<DataSource>,
  options: ConformanceOptions,
): void {
  describe(`${name}: DataSource conformance`, () => {
    let source: DataSource;
    beforeAll(async () => {
      source = await open();
    });
    afterAll(async () => {
      await source?.close();
    });

    it("describes itself", () => {
      expect(source.dialect).toBe(dialect);
      expect(source.label.length).toBeGreaterThan(0);
    });

    it("lists tables and views with columns, keys and types", async () => {
      const tables = await source.tables();
      expect(tables.map((t) => t.name).sort()).toEqual(["north_wells", "production", "wells"]);
      const wells = tables.find((t) => t.name === "wells");
      expect(wells?.columns.map((c) => c.name)).toEqual(["id", "name", "field", "depth", "spud", "big"]);
      for (const column of wells?.columns ?? []) expect(column.type).toMatch(/\w/);
      expect(wells?.columns.find((c) => c.name === "field")?.nullable).toBe(false);
      expect(wells?.columns.find((c) => c.name === "name")?.nullable).toBe(true);
      expect(wells?.primaryKey).toEqual(["id"]);
      const production = tables.find((t) => t.name === "production");
      expect(production?.foreignKeys).toEqual([
        { columns: ["well_id"], references: { table: "wells", columns: ["id"] } },
      ]);
      expect(tables.find((t) => t.name === "north_wells")?.columns.map((c) => c.name)).toEqual(["id", "name"]);
      if (wells?.rowCount !== undefined) expect(wells.rowCount).toBe(WELLS.length);
    });

    it("profiles every column: null share, distinct count, bounds and frequent values", async () => {
      const profile = await source.profile({ sampleValues: 3 });
      expect(profile.dialect).toBe(dialect);
      const wells = profile.tables.find((t) => t.name === "wells");
      const production = profile.tables.find((t) => t.name === "production");
      expect(wells?.rowCount).toBe(WELLS.length);
      expect(production?.rowCount).toBe(PRODUCTION.length);
      const column = (name: string) => wells?.columns.find((c) => c.name === name);
      expect(column("name")?.nullShare).toBeCloseTo(WELLS.filter((w) => w.name === null).length / WELLS.length);
      expect(column("field")?.nullShare).toBe(0);
      expect(column("field")?.distinctCount).toBe(new Set(WELLS.map((w) => w.field)).size);
      expect(column("field")?.samples[0]).toBe("North");
      expect(column("field")?.samples).toHaveLength(2);
      const depths = WELLS.flatMap((w) => (w.depth === null ? [] : [w.depth]));
      expect(column("depth")?.min).toBe(Math.min(...depths));
      expect(column("depth")?.max).toBe(Math.max(...depths));
      expect(column("spud")?.min).toBe("2001-03-04");
      expect(column("big")?.max).toBe("9007199254740993");
      const names = column("name")?.samples ?? [];
      expect(names).toHaveLength(3);
      for (const sample of names) expect(Array.from(sample).length).toBeLessThanOrEqual(40);
      const shortened = WELLS.some((w) => w.name === LONG_NAME) && names.find((s) => s.startsWith("Delta"));
      if (shortened) expect(shortened.endsWith("…")).toBe(true);
      const oil = production?.columns.find((c) => c.name === "oil");
      expect(oil?.min).toBe(Math.min(...PRODUCTION.map((p) => p.oil)));
      expect(oil?.max).toBe(Math.max(...PRODUCTION.map((p) => p.oil)));
      expect(oil?.distinctCount).toBeGreaterThan(45);
    });

    it("profiles only the tables asked for, and names the known ones for an unknown table", async () => {
      const profile = await source.profile({ tables: ["production"], sampleValues: 0 });
      expect(profile.tables.map((t) => t.name)).toEqual(["production"]);
      expect(profile.tables[0]?.columns.every((c) => c.samples.length === 0)).toBe(true);
      const error = await source.profile({ tables: ["nope"] }).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain("wells");
    });

    it("runs a SELECT and returns JSON-safe cells", async () => {
      const result = await source.run("SELECT id, name, depth, spud, big FROM wells ORDER BY id");
      expect(result.sql).toBe("SELECT id, name, depth, spud, big FROM wells ORDER BY id");
      expect(result.columns.map((c) => c.name)).toEqual(["id", "name", "depth", "spud", "big"]);
      expect(result.truncated).toBe(false);
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
      expect(result.rows).toEqual(
        WELLS.map((w) => [w.id, w.name, w.depth, w.spud, Number.isSafeInteger(Number(w.big)) ? Number(w.big) : w.big]),
      );
      expect(JSON.parse(JSON.stringify(result.rows))).toEqual(result.rows);
    });

    it("accepts comments, a trailing semicolon, WITH and VALUES", async () => {
      const a = await source.run("-- the wells\nSELECT count(*) AS n FROM wells; /* done */");
      expect(a.rows).toEqual([[WELLS.length]]);
      const b = await source.run(
        "WITH n AS (SELECT field FROM wells) SELECT field, count(*) FROM n GROUP BY field ORDER BY field",
      );
      expect(b.rows).toEqual([
        ["North", 3],
        ["South", 1],
      ]);
      const c = await source.run("SELECT 1 -- ; DELETE FROM wells");
      expect(c.rows).toEqual([[1]]);
      expect((await source.run("SELECT count(*) FROM wells")).rows).toEqual([[WELLS.length]]);
    });

    it("cuts results at maxRows and says so", async () => {
      const ten = await source.run("SELECT day, oil FROM production ORDER BY day", { maxRows: 10 });
      expect(ten.rows).toHaveLength(10);
      expect(ten.truncated).toBe(true);
      expect(ten.rows[0]).toEqual([PRODUCTION[0]?.day, PRODUCTION[0]?.oil]);
      const all = await source.run("SELECT day FROM production", { maxRows: PRODUCTION.length });
      expect(all.rows).toHaveLength(PRODUCTION.length);
      expect(all.truncated).toBe(false);
      const none = await source.run("SELECT day FROM production", { maxRows: 0 });
      expect(none.rows).toEqual([]);
      expect(none.truncated).toBe(true);
    });

    it("streams: an endless result stops at maxRows instead of being materialised", async () => {
      const result = await source.run(options.endlessRowsSql, { maxRows: 5, timeoutMs: 20_000 });
      expect(result.rows).toHaveLength(5);
      expect(result.truncated).toBe(true);
    });

    it("rejects bad limits", async () => {
      for (const bad of [{ maxRows: -1 }, { maxRows: 1.5 }, { timeoutMs: 0 }]) {
        const error = await source.run("SELECT 1", bad).catch((e: unknown) => e);
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
      }
    });

    it("check() passes good SQL and names unknown tables and columns", async () => {
      await expect(source.check("SELECT name FROM wells")).resolves.toBeUndefined();
      // Checking plans the query without running it, so an endless query checks instantly.
      await expect(source.check(BOMB)).resolves.toBeUndefined();
      const table = await rejection(source.check("SELECT * FROM wellz"));
      expect(table.reason).toBe("unknown-object");
      expect(table.message).toContain("wellz");
      const column = await rejection(source.check("SELECT depht FROM wells"));
      expect(column.reason).toBe("unknown-object");
      expect(column.message).toContain("depht");
      const syntax = await rejection(source.check("SELECT FROM WHERE wells"));
      expect(syntax.reason).toBe("syntax");
      expect(syntax.sql).toBe("SELECT FROM WHERE wells");
      const run = await rejection(source.run("SELECT depht FROM wells"));
      expect(run.reason).toBe("unknown-object");
    });

    it("runs queries concurrently", async () => {
      const results = await Promise.all(WELLS.map((w) => source.run(`SELECT name FROM wells WHERE id = ${w.id}`)));
      expect(results.map((r) => r.rows[0]?.[0])).toEqual(WELLS.map((w) => w.name));
    });

    describe.skipIf(options.noTimeoutReason !== undefined)("runaway queries", () => {
      it("stops a recursive CTE bomb at the timeout and keeps working", async () => {
        const error = await rejection(source.run(BOMB, { timeoutMs: 300 }));
        expect(error.reason).toBe("timeout");
        expect(error.message).toContain("300 ms");
        expect((await source.run("SELECT count(*) FROM wells")).rows).toEqual([[WELLS.length]]);
      });

      it("stops a query when its AbortSignal fires and keeps working", async () => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 200);
        const error = await source.run(BOMB, { abortSignal: controller.signal }).catch((e: unknown) => e);
        expect(AbortError.isInstance(error)).toBe(true);
        expect((await source.run("SELECT count(*) FROM production")).rows).toEqual([[PRODUCTION.length]]);
        await expect(source.run("SELECT 1", { abortSignal: AbortSignal.abort() })).rejects.toSatisfy(
          AbortError.isInstance,
        );
      });
    });
    if (options.noTimeoutReason) {
      it.skip(`runaway queries: ${options.noTimeoutReason}`, () => undefined);
    }

    it("refuses to run after close()", async () => {
      const other = await open();
      await other.close();
      await expect(other.run("SELECT 1")).rejects.toThrow(/closed/);
      await other.close();
    });
  });
}
