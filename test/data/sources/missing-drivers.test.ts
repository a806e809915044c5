import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { openDuckDbSource } from "../../../src/data/sources/duckdb-source.js";
import { openPostgresSource } from "../../../src/data/sources/postgres-source.js";
import { MissingDependencyError } from "../../../src/spec/errors.js";

// Stands in for an install without the optional engines: the imports fail as Node's would.
vi.mock("pg", () => {
  throw Object.assign(new Error("Cannot find package 'pg' imported from weft"), { code: "ERR_MODULE_NOT_FOUND" });
});
vi.mock("@duckdb/node-api", () => {
  throw Object.assign(new Error("Cannot find package '@duckdb/node-api' imported from weft"), {
    code: "ERR_MODULE_NOT_FOUND",
  });
});

const dir = mkdtempSync(join(tmpdir(), "weft-missing-drivers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sources without their optional engines installed", () => {
  it("PostgreSQL says to install pg", async () => {
    const error = await openPostgresSource({ url: "postgres://weft@127.0.0.1:1/db" }).catch((e: unknown) => e);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("npm install pg");
  });

  it("DuckDB says to install @duckdb/node-api", async () => {
    const path = join(dir, "some.duckdb");
    writeFileSync(path, "not opened: the engine is missing");
    const error = await openDuckDbSource({ databasePath: path }).catch((e: unknown) => e);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("npm install @duckdb/node-api");
  });
});
