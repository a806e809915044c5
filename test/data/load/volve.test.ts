import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedDatabase, loadFiles } from "../../../src/data/index.js";
import { makeTempDir, query } from "./helpers.js";

const VOLVE = resolve(import.meta.dirname, "../../../../shared/data/volve-production/Volve production data.xlsx");
const has = existsSync(VOLVE);
if (!has) console.warn(`[volve.test] skipping the Volve workbook checks: ${VOLVE} is missing.`);

describe.skipIf(!has)("loadFiles on the Volve production workbook", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: LoadedDatabase;
  beforeAll(async () => {
    temp = makeTempDir();
    db = await loadFiles({ files: [VOLVE], cacheDir: join(temp.dir, "cache") });
  });
  afterAll(() => temp?.remove());

  it("loads both sheets with their row counts and no warnings", () => {
    expect(db.tables.map((t) => [t.name, t.origin, t.rowCount])).toEqual([
      ["daily_production_data", "Volve production data.xlsx#Daily Production Data", 15_634],
      ["monthly_production_data", "Volve production data.xlsx#Monthly Production Data", 526],
    ]);
    expect(db.warnings).toEqual([]);
  });

  it("types the daily sheet: DATEPRD as DATE from the first row 2014-04-07, volumes as DOUBLE", async () => {
    const daily = Object.fromEntries(db.tables[0]?.columns.map((c) => [c.name, c.type]) ?? []);
    expect(daily.dateprd).toBe("DATE");
    expect([daily.bore_oil_vol, daily.bore_gas_vol, daily.bore_wat_vol]).toEqual(["DOUBLE", "DOUBLE", "DOUBLE"]);
    expect(daily.well_type).toBe("VARCHAR");
    expect(await query(db.databasePath, "SELECT CAST(DATEPRD AS VARCHAR) FROM daily_production_data LIMIT 1")).toEqual([
      ["2014-04-07"],
    ]);
    expect(
      await query(db.databasePath, "SELECT well_type, count(*) FROM daily_production_data GROUP BY 1 ORDER BY 1"),
    ).toEqual([
      ["OP", 9_143],
      ["WI", 6_491],
    ]);
  });

  it("joins the monthly sheet's names and units rows and reads the NULL texts as NULL", async () => {
    const monthly = db.tables[1]?.columns.map((c) => [c.name, c.type]);
    expect(monthly).toEqual([
      ["wellbore_name", "VARCHAR"],
      ["npdcode", "BIGINT"],
      ["year", "BIGINT"],
      ["month", "BIGINT"],
      ["on_stream_hrs", "DOUBLE"],
      ["oil_sm3", "DOUBLE"],
      ["gas_sm3", "DOUBLE"],
      ["water_sm3", "DOUBLE"],
      // Every GI value is the text NULL, so the column holds only NULLs.
      ["gi_sm3", "VARCHAR"],
      ["wi_sm3", "DOUBLE"],
    ]);
    expect(
      await query(
        db.databasePath,
        "SELECT count(*), count(oil_sm3), count(gi_sm3), count(*) FILTER (WHERE wellbore_name = 'NULL') FROM monthly_production_data",
      ),
    ).toEqual([[526, 311, 0, 0]]);
    expect(
      await query(
        db.databasePath,
        "SELECT wellbore_name, year, month, on_stream_hrs, oil_sm3 FROM monthly_production_data ORDER BY rowid LIMIT 1",
      ),
    ).toEqual([["15/9-F-1 C", 2014, 4, 227.5, 11142.47]]);
  });

  it("is found in the cache on the second load", async () => {
    const again = await loadFiles({ files: [VOLVE], cacheDir: join(temp.dir, "cache") });
    expect([again.cached, again.databasePath]).toEqual([true, db.databasePath]);
  });
});
