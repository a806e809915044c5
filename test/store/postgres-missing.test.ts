import { describe, expect, it, vi } from "vitest";
import { MissingDependencyError } from "../../src/spec/errors.js";
import { openStore } from "../../src/store/index.js";

// Stands in for an install without the optional `pg` package: the import fails as Node's would.
vi.mock("pg", () => {
  throw Object.assign(new Error("Cannot find package 'pg' imported from weft"), { code: "ERR_MODULE_NOT_FOUND" });
});

describe("postgres store without pg installed", () => {
  it("says which package to install", async () => {
    const error = await openStore({ url: "postgres://weft:pw@127.0.0.1:1/weft" }).catch((e: unknown) => e);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/npm install pg/);
  });
});
