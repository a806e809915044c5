import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFiles } from "../../../src/data/index.js";
import { AbortError } from "../../../src/spec/errors.js";
import { makeTempDir, query, writeSalesWorkbook } from "./helpers.js";

const temp = makeTempDir();
afterAll(() => temp.remove());

let counter = 0;
/** A fresh folder with two inputs (a workbook or a JSON file, then a CSV), and a cache folder name beside them. */
async function setup(
  options: { workbook?: boolean } = {},
): Promise<{ files: string[]; dir: string; cacheDir: string }> {
  const dir = join(temp.dir, `case-${++counter}`);
  mkdirSync(dir);
  let first = join(dir, "sales.json");
  if (options.workbook) {
    first = join(dir, "sales.xlsx");
    await writeSalesWorkbook(first);
  } else {
    writeFileSync(first, '[{"region":"North","total":3}]');
  }
  const csv = join(dir, "orders.csv");
  writeFileSync(csv, "id,amount\n1,10\n2,20\n");
  return { files: [first, csv], dir, cacheDir: join(dir, "cache") };
}

/** A process id that is certainly not running: the id of a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid ?? 999_999_999;
}

describe("loadFiles cache", () => {
  it("reuses the database for unchanged files without rebuilding it", async () => {
    const { files, cacheDir } = await setup({ workbook: true });
    const first = await loadFiles({ files, cacheDir });
    expect(first.cached).toBe(false);
    const before = statSync(first.databasePath);

    const second = await loadFiles({ files, cacheDir });
    expect(second.cached).toBe(true);
    expect(second.databasePath).toBe(first.databasePath);
    expect(second.tables).toEqual(first.tables);
    expect(second.warnings).toEqual(first.warnings);
    const after = statSync(second.databasePath);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readdirSync(cacheDir).sort()).toEqual(
      [basename(first.databasePath), basename(first.databasePath).replace(".duckdb", ".json")].sort(),
    );
  });

  it("builds a new database when a file's content changes, and when a file is renamed", async () => {
    const { files, dir, cacheDir } = await setup();
    const first = await loadFiles({ files, cacheDir });
    writeFileSync(join(dir, "orders.csv"), "id,amount\n1,10\n2,20\n3,30\n");
    const changed = await loadFiles({ files, cacheDir });
    expect(changed.cached).toBe(false);
    expect(changed.databasePath).not.toBe(first.databasePath);
    expect(changed.tables.find((t) => t.name === "orders")?.rowCount).toBe(3);

    const renamed = join(dir, "purchases.csv");
    renameSync(join(dir, "orders.csv"), renamed);
    const third = await loadFiles({ files: [files[0] as string, renamed], cacheDir });
    expect(third.cached).toBe(false);
    expect(third.tables.map((t) => t.name)).toEqual(["sales", "purchases"]);
  });

  it("finds byte-identical files with the same names in another folder", async () => {
    const one = await setup();
    const two = await setup();
    await loadFiles({ files: one.files, cacheDir: one.cacheDir });
    const again = await loadFiles({ files: two.files, cacheDir: one.cacheDir });
    expect(again.cached).toBe(true);
  });
});

describe("loadFiles atomicity", () => {
  it("never takes a leftover temporary database for a cached one, and clears it away", async () => {
    const { files, cacheDir } = await setup();
    const first = await loadFiles({ files, cacheDir });
    // What a process killed just before the final rename leaves behind.
    const stem = basename(first.databasePath, ".duckdb");
    const leftover = join(cacheDir, `${stem}.tmp-${deadPid()}-abc123.duckdb`);
    renameSync(first.databasePath, leftover);
    rmSync(first.databasePath.replace(".duckdb", ".json"));

    const second = await loadFiles({ files, cacheDir });
    expect(second.cached).toBe(false);
    expect(existsSync(leftover)).toBe(false);
    expect(await query(second.databasePath, "SELECT sum(amount) FROM orders")).toEqual([[30]]);
  });

  it("does not take a manifest without its database as cached", async () => {
    const { files, cacheDir } = await setup();
    const first = await loadFiles({ files, cacheDir });
    rmSync(first.databasePath);
    const second = await loadFiles({ files, cacheDir });
    expect(second.cached).toBe(false);
    expect(existsSync(second.databasePath)).toBe(true);
  });

  it("leaves nothing behind when aborted in the middle of a load", async () => {
    const { files, cacheDir } = await setup();
    let checks = 0;
    // Turns aborted on the fourth look: after the cache lookup and the first file, before the second.
    const signal = {
      get aborted() {
        return ++checks >= 4;
      },
      reason: new Error("stop"),
    } as unknown as AbortSignal;
    const error = await loadFiles({ files, cacheDir, abortSignal: signal }).catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(checks).toBeGreaterThanOrEqual(4);
    expect(readdirSync(cacheDir)).toEqual([]);

    const retry = await loadFiles({ files, cacheDir });
    expect(retry.cached).toBe(false);
  });

  it("stops before reading anything when already aborted", async () => {
    const { files, cacheDir } = await setup();
    const error = await loadFiles({ files, cacheDir, abortSignal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(existsSync(cacheDir)).toBe(false);
  });
});
