import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/index.js";
import { runWeft, STACK_LINE, tempDir } from "./run-weft.js";

async function seed(path: string): Promise<void> {
  const store = await openSqliteStore({ path });
  try {
    await store.cache.set("gen", "a", { v: 1 });
    await store.cache.set("gen", "b", { v: 1 });
    await store.cache.set("select", "c", { v: 1 });
  } finally {
    await store.close();
  }
}

async function count(path: string, namespace: string, keys: string[]): Promise<number> {
  const store = await openSqliteStore({ path });
  try {
    let found = 0;
    for (const key of keys) if ((await store.cache.get(namespace, key)) !== undefined) found++;
    return found;
  } finally {
    await store.close();
  }
}

describe("weft cache clear", () => {
  it("clears one namespace and says how many entries it removed", async () => {
    const cwd = tempDir();
    const db = join(cwd, "weft.db");
    await seed(db);
    const r = await runWeft(["--store", db, "cache", "clear", "--namespace", "gen"], { cwd });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Removed 2 cached entries from namespace 'gen'.\n");
    expect(await count(db, "gen", ["a", "b"])).toBe(0);
    expect(await count(db, "select", ["c"])).toBe(1);
  });

  it("clears everything, in the default store under the working folder, with --json", async () => {
    const cwd = tempDir();
    const db = join(cwd, ".weft", "weft.db");
    await seed(db);
    const r = await runWeft(["cache", "clear", "--json"], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ removed: 3, namespace: null });
    const again = await runWeft(["cache", "clear"], { cwd });
    expect(again.stdout).toBe("Removed 0 cached entries.\n");
  });

  it("rejects an empty namespace as a usage error without a stack trace", async () => {
    const r = await runWeft(["cache", "clear", "--namespace", " "]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--namespace needs a name/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
