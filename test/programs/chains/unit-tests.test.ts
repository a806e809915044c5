import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ChainEvent, StepValidationError, writeUnitTests } from "../../../src/programs/chains/index.js";
import { InvalidArgumentError, MissingDependencyError } from "../../../src/spec/errors.js";
import type { CallOptions, Message } from "../../../src/spec/language-model.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";
import {
  ELABORATION,
  EXPLANATION,
  fence,
  project,
  SHORT_PLAN,
  TESTS_FAILING,
  TESTS_PASSING,
  TESTS_SYNTAX_ERROR,
} from "./unit-tests-fixtures.js";

const text = (m: Message | undefined) => (typeof m?.content === "string" ? m.content : "");
const last = (call: CallOptions | undefined) => text(call?.messages.at(-1));

/** One mock model per step, so each step's calls can be read separately. */
function models(write: string[]) {
  return {
    explain: createMockLanguageModel({ modelId: "explainer", reply: EXPLANATION }),
    plan: createMockLanguageModel({ modelId: "planner", reply: SHORT_PLAN }),
    elaborate: createMockLanguageModel({ modelId: "elaborator", reply: ELABORATION }),
    write: createMockLanguageModel({ modelId: "writer", reply: write }),
  };
}

describe("writeUnitTests", () => {
  it("explains, plans and writes, carrying the conversation from step to step", async () => {
    const cwd = project();
    const m = models([fence(TESTS_PASSING)]);
    const starts: string[] = [];
    const result = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd,
      models: m,
      minCases: 2,
      onEvent: (e: ChainEvent) => e.type === "start" && starts.push(`${e.step} ${e.model}`),
    });
    expect(starts).toEqual(["explain mock:explainer", "plan mock:planner", "write mock:writer"]);
    expect(result.steps.map((s) => s.name)).toEqual(["explain", "plan", "write"]);
    expect(m.elaborate.calls).toHaveLength(0);
    expect(result.elaborated).toBe(false);
    expect(result.code).toBe(`${TESTS_PASSING}\n`);
    expect(result).toMatchObject({ testFileName: "math.test.ts", specifier: "./math.js", explanation: EXPLANATION });
    expect(result.plan.cases.map((c) => c.title)).toEqual(["Values inside the range", "Values outside the range"]);
    expect(result.run).toBeUndefined();
    expect(result.warnings).toEqual([]);

    const explain = m.explain.calls[0]?.messages ?? [];
    expect(explain[0]?.role).toBe("system");
    expect(text(explain[1])).toContain("export function clamp(n: number, lo: number, hi: number): number {");
    expect(m.explain.calls[0]?.temperature).toBe(0.4);
    // The plan step sees the explanation as the assistant's earlier turn.
    expect(m.plan.calls[0]?.messages.slice(2).map((x) => x.role)).toEqual(["assistant", "user"]);
    expect(text(m.plan.calls[0]?.messages[2])).toBe(EXPLANATION);
    expect(last(m.plan.calls[0])).toMatch(/list diverse scenarios/);
    const write = m.write.calls[0]?.messages ?? [];
    expect(write.map((x) => x.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(text(write[4])).toBe(SHORT_PLAN);
    expect(text(write[5])).toContain('import { clamp } from "./math.js";');
  });

  it("asks for more edge cases when the plan has fewer cases than minCases", async () => {
    const cwd = project();
    const m = models([fence(TESTS_PASSING)]);
    const result = await writeUnitTests({ file: "src/math.ts", functionName: "clamp", cwd, models: m, minCases: 3 });
    expect(result.steps.map((s) => s.name)).toEqual(["explain", "plan", "elaborate", "write"]);
    expect(result.elaborated).toBe(true);
    expect(result.plan.cases.map((c) => c.title)).toEqual([
      "Values inside the range",
      "Values outside the range",
      "An empty range",
      "`lo` above `hi`",
    ]);
    expect(last(m.elaborate.calls[0])).toMatch(/rare or unexpected edge cases/);
    // The write step sees the elaboration too.
    expect(m.write.calls[0]?.messages.map(text)).toContain(ELABORATION);
  });

  it("feeds parse errors back until the reply parses as TypeScript", async () => {
    const cwd = project();
    const m = models([fence(TESTS_SYNTAX_ERROR), fence(TESTS_PASSING)]);
    const retries: ChainEvent[] = [];
    const result = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd,
      models: m,
      minCases: 0,
      onEvent: (e) => e.type === "retry" && retries.push(e),
    });
    expect(result.code).toBe(`${TESTS_PASSING}\n`);
    expect(m.write.calls).toHaveLength(2);
    expect(result.steps.at(-1)).toMatchObject({ name: "write", attempts: 2, valid: true });
    expect(retries).toEqual([
      {
        type: "retry",
        step: "write",
        attempt: 2,
        check: "typescript",
        issues: [
          { path: "line 6, column 35", message: "')' expected. The line reads: `expect(clamp(5, 0, 10).toBe(5);`" },
        ],
      },
    ]);
    const repair = m.write.calls[1]?.messages ?? [];
    expect(text(repair.at(-2))).toBe(fence(TESTS_SYNTAX_ERROR).trimEnd());
    expect(text(repair.at(-1))).toBe(
      "The test file is not valid TypeScript:\n\n- line 6, column 35: ')' expected. The line reads: `expect(clamp(5, 0, 10).toBe(5);`\n\nReply only with the complete corrected test file in one ```ts code block.",
    );
  });

  it("fails with a clear error when the model never writes parseable code", async () => {
    const cwd = project();
    const m = models([fence(TESTS_SYNTAX_ERROR)]);
    const error = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd,
      models: m,
      minCases: 0,
      maxRepairs: 1,
    }).catch((e) => e);
    expect(StepValidationError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "Step 'write' failed the check 'typescript' after 2 attempt(s): line 6, column 35: ')' expected. The line reads: `expect(clamp(5, 0, 10).toBe(5);`. The model did not write valid TypeScript; try a stronger model or allow more repairs (--max-repairs).",
    );
    expect(m.write.calls).toHaveLength(2);
  });

  it("rejects valid TypeScript that defines no tests", async () => {
    const m = models([fence("const x = 1;")]);
    const error = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd: project(),
      models: m,
      minCases: 0,
      maxRepairs: 0,
    }).catch((e) => e);
    expect(error.message).toMatch(/The file defines no tests/);
  });

  it("with run, runs the tests with vitest and feeds failures back until they pass", async () => {
    const cwd = project();
    const m = models([fence(TESTS_FAILING), fence(TESTS_PASSING)]);
    const checks: string[] = [];
    const result = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd,
      models: m,
      minCases: 0,
      run: true,
      onEvent: (e) => e.type === "check" && checks.push(`${e.check} ${e.status}`),
    });
    expect(checks).toEqual([
      "typescript running",
      "typescript passed",
      "vitest running",
      "vitest failed",
      "typescript running",
      "typescript passed",
      "vitest running",
      "vitest passed",
    ]);
    expect(result.code).toBe(`${TESTS_PASSING}\n`);
    expect(result.run).toMatchObject({ ok: true, passed: 3, total: 3 });
    const fix = last(m.write.calls[1]);
    expect(fix).toMatch(
      /^Running the test file with vitest failed:\n\n- clamp raises values below: AssertionError: expected \+0 to be -1/,
    );
    expect(fix).toMatch(/it\.fails/);
  });

  it("with run, keeps the last tests when they still fail after maxFixes", async () => {
    const m = models([fence(TESTS_FAILING)]);
    const result = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd: project(),
      models: m,
      minCases: 0,
      run: true,
      maxFixes: 1,
    });
    expect(m.write.calls).toHaveLength(2);
    expect(result.code).toBe(`${TESTS_FAILING}\n`);
    expect(result.run).toMatchObject({ ok: false, failed: 1 });
    expect(result.steps.at(-1)).toMatchObject({ valid: false, attempts: 2 });
    expect(result.steps.at(-1)?.issues[0]?.path).toBe("clamp raises values below");
  });

  it("tests a private function through an export added to the copy, and warns", async () => {
    const tests =
      'import { expect, it } from "vitest";\nimport { secret } from "./math.js";\nit("s", () => expect(secret(1)).toBe(0));';
    const result = await writeUnitTests({
      file: "src/math.ts",
      functionName: "secret",
      cwd: project(),
      model: createMockLanguageModel({ reply: ["- explained", "- one\n- two", fence(tests)] }),
      minCases: 2,
      run: true,
    });
    expect(result.run?.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/^'secret' is not exported from .*math\.ts; export it/)]);
  });

  it("writes outFile with the import rewritten to reach the source from there", async () => {
    const cwd = project();
    const result = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd,
      models: models([fence(TESTS_PASSING)]),
      minCases: 0,
      outFile: "test/unit/math.test.ts",
    });
    expect(result.outFile).toBe(join(cwd, "test/unit/math.test.ts"));
    const written = readFileSync(join(cwd, "test/unit/math.test.ts"), "utf8");
    expect(written).toBe(result.code);
    expect(written).toContain('import { clamp } from "../../src/math.js";');
    expect(written).not.toContain('"./math.js"');
  });

  it("fails before any model call on a missing file, a missing function or a non-TypeScript file", async () => {
    const cwd = project({ "src/math.ts": "export function add(a: number, b: number) { return a + b; }\n", "a.js": "" });
    const model = createMockLanguageModel();
    const fail = (file: string, functionName: string) =>
      writeUnitTests({ file, functionName, cwd, model }).catch((e) => e);
    const missingFile = await fail("src/nope.ts", "add");
    expect(missingFile).toBeInstanceOf(InvalidArgumentError);
    expect(missingFile.message).toMatch(/^Cannot read 'src\/nope.ts': no such file/);
    const missingFunction = await fail("src/math.ts", "sub");
    expect(missingFunction.message).toMatch(/No top-level function named 'sub' in .*math\.ts\. Functions found: add\./);
    expect((await fail("a.js", "add")).message).toMatch(/'a.js' is not a TypeScript source file/);
    expect(model.calls).toHaveLength(0);
  });

  it("says to install typescript when it is missing", async () => {
    const missing = Object.assign(new Error("Cannot find package 'typescript'"), { code: "ERR_MODULE_NOT_FOUND" });
    const error = await writeUnitTests({
      file: "src/math.ts",
      functionName: "clamp",
      cwd: project(),
      model: createMockLanguageModel(),
      importTypeScript: () => Promise.reject(missing),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.message).toMatch(/needs the optional package 'typescript'\. Install it with: npm install typescript/);
  });

  it("rejects bad bounds", async () => {
    const error = await writeUnitTests({ file: "x.ts", functionName: "f", maxFixes: -1 }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe("maxFixes must be an integer >= 0, got -1.");
  });
});
