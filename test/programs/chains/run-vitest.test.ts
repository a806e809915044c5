import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { resolveVitest, runVitest } from "../../../src/programs/chains/unit-tests/run-vitest.js";
import { MissingDependencyError } from "../../../src/spec/errors.js";
import { project, TESTS_FAILING, TESTS_PASSING } from "./unit-tests-fixtures.js";

// Each case starts a real vitest process in a temporary folder.
describe("runVitest", () => {
  it("runs passing tests next to a copy of the source and its local imports, then removes the folder", async () => {
    const dir = project();
    const tempRoot = mkdtempSync(join(tmpdir(), "weft-temp-root-"));
    const run = await runVitest({
      ts,
      sourceFile: join(dir, "src/math.ts"),
      testCode: TESTS_PASSING,
      testFileName: "math.test.ts",
      tempRoot,
    });
    expect(run).toMatchObject({ ok: true, passed: 3, failed: 0, total: 3, failures: [], timedOut: false, exitCode: 0 });
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it("reports each failing test with its message and without vitest's internal stack frames", async () => {
    const dir = project();
    const run = await runVitest({
      ts,
      sourceFile: join(dir, "src/math.ts"),
      testCode: TESTS_FAILING,
      testFileName: "math.test.ts",
    });
    expect(run).toMatchObject({ ok: false, passed: 1, failed: 1, total: 2 });
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]?.test).toBe("clamp raises values below");
    expect(run.failures[0]?.message).toBe(
      "AssertionError: expected +0 to be -1 // Object.is equality\n    at math.test.ts:9:30",
    );
  });

  it("reports a file that fails to load, and a file without tests", async () => {
    const dir = project();
    const sourceFile = join(dir, "src/math.ts");
    const broken = await runVitest({
      ts,
      sourceFile,
      testCode: 'import { nope } from "./missing.js";\nimport { it } from "vitest";\nit("x", () => nope());\n',
      testFileName: "math.test.ts",
    });
    expect(broken.ok).toBe(false);
    expect(broken.failures).toEqual([
      { test: "math.test.ts", message: expect.stringMatching(/Cannot find module '\.\/missing\.js'/) },
    ]);
    const empty = await runVitest({ ts, sourceFile, testCode: "export {};\n", testFileName: "math.test.ts" });
    expect(empty.ok).toBe(false);
    expect(empty.failures[0]?.message).toMatch(/No test|no test/);
  });

  it("reports an error thrown outside any test, which vitest counts as a failed run", async () => {
    const run = await runVitest({
      ts,
      sourceFile: join(project(), "src/math.ts"),
      testCode:
        'import { it } from "vitest";\nit("x", () => { setTimeout(() => { throw new Error("late boom"); }, 0); });\n',
      testFileName: "math.test.ts",
    });
    expect(run).toMatchObject({ ok: false, passed: 1, failed: 0 });
    expect(run.failures).toEqual([
      {
        test: "math.test.ts",
        message: expect.stringMatching(/^vitest exited with code 1: Unhandled Errors[\s\S]*late boom/),
      },
    ]);
  });

  it("exports a private function in the copy so the tests can import it", async () => {
    const dir = project();
    const run = await runVitest({
      ts,
      sourceFile: join(dir, "src/math.ts"),
      exportName: "secret",
      testCode:
        'import { expect, it } from "vitest";\nimport { secret } from "./math.js";\nit("s", () => expect(secret(3)).toBe(2));\n',
      testFileName: "math.test.ts",
    });
    expect(run).toMatchObject({ ok: true, passed: 1 });
  });

  it("kills a run that does not finish in time", async () => {
    const dir = project();
    const run = await runVitest({
      ts,
      sourceFile: join(dir, "src/math.ts"),
      testCode: 'import { it } from "vitest";\nit("spins", () => { for (;;) {} });\n',
      testFileName: "math.test.ts",
      timeoutMs: 5_000,
    });
    expect(run).toMatchObject({ ok: false, timedOut: true });
    expect(run.failures.at(-1)?.message).toMatch(/did not finish within 5000 ms/);
  });
});

describe("resolveVitest", () => {
  it("finds the installed vitest, and says what to install when there is none", () => {
    const path = resolveVitest(tmpdir());
    expect(existsSync(path)).toBe(true);
    expect(path).toMatch(/vitest[\\/]vitest\.mjs$/);
    expect(new MissingDependencyError({ packageName: "vitest", feature: "x" }).message).toMatch(/npm install vitest/);
  });
});
