import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";
import {
  ELABORATION,
  EXPLANATION,
  fence,
  project,
  SHORT_PLAN,
  TESTS_FAILING,
  TESTS_PASSING,
  TESTS_SYNTAX_ERROR,
} from "../programs/chains/unit-tests-fixtures.js";
import { runWeft, STACK_LINE } from "./run-weft.js";

const KEY = "sk-test-unit-tests-key";
let server: FakeOpenAIServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
  env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
});
afterAll(() => server.close());

const userTurns = (body: { messages: Array<{ role: string; content: string }> }) =>
  body.messages.filter((m) => m.role === "user").map((m) => m.content);

describe("weft unit-tests", () => {
  it("streams every step, repairs a parse error, fixes a failing test with --run and prints the test file", async () => {
    const cwd = project();
    const before = server.requests.length;
    server.enqueue(
      { text: EXPLANATION },
      { text: SHORT_PLAN },
      { text: ELABORATION },
      { text: fence(TESTS_SYNTAX_ERROR) },
      { text: fence(TESTS_FAILING) },
      { text: fence(TESTS_PASSING) },
    );
    const r = await runWeft(
      [
        "unit-tests",
        "src/math.ts",
        "--function",
        "clamp",
        "--run",
        "--min-cases",
        "3",
        "--model",
        "openai:gpt-4o-mini",
      ],
      { cwd, env, timeoutMs: 90_000 },
    );
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${TESTS_PASSING}\n`);

    // The steps appear on stderr in order, each reply streamed under its header.
    const order = ["── explain", EXPLANATION, "── plan", "── elaborate", "✗ typescript", "✗ vitest", "✓ vitest"];
    const positions = order.map((s) => r.stderr.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(r.stderr).toContain("clamp raises values below: AssertionError: expected +0 to be -1");
    expect(r.stderr).toMatch(/↻ write: attempt 3, fixing what 'vitest' found/);
    expect(r.stderr).toMatch(/6 model calls · \d+ in \/ \d+ out · \$[\d.]+ · [\d.]+ s · run [0-9a-f-]{36}/);

    const sent = server.requests.slice(before).map((q) => q.body);
    expect(sent).toHaveLength(6);
    expect(sent.every((b) => b.model === "gpt-4o-mini" && b.stream === true && b.temperature === 0.4)).toBe(true);
    expect(userTurns(sent[0])[0]).toContain("export function clamp(n: number, lo: number, hi: number): number {");
    expect(userTurns(sent[2]).at(-1)).toMatch(/rare or unexpected edge cases/);
    expect(userTurns(sent[4]).at(-1)).toMatch(/^The test file is not valid TypeScript/);
    expect(userTurns(sent[5]).at(-1)).toMatch(/^Running the test file with vitest failed/);

    // Each model call is traced with the run as its parent.
    const runId = /run ([0-9a-f-]{36})/.exec(r.stderr)?.[1];
    const traces = JSON.parse((await runWeft(["traces", "--json", "-n", "10"], { cwd, env })).stdout);
    expect(traces).toHaveLength(6);
    expect(traces.every((t: { parentId: string }) => t.parentId === runId)).toBe(true);
    expect(traces.map((t: { parameters: { step: string } }) => t.parameters.step).sort()).toEqual([
      "elaborate",
      "explain",
      "plan",
      "write",
      "write",
      "write",
    ]);
  });

  it("writes --out with the import adjusted, and prints nothing on stdout", async () => {
    const cwd = project();
    server.enqueue({ text: EXPLANATION }, { text: SHORT_PLAN }, { text: fence(TESTS_PASSING) });
    const r = await runWeft(
      ["unit-tests", "src/math.ts", "-f", "clamp", "--min-cases", "1", "--out", "test/math.test.ts", "--no-trace"],
      { cwd, env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`wrote ${join(cwd, "test/math.test.ts")}`);
    const written = readFileSync(join(cwd, "test/math.test.ts"), "utf8");
    expect(written).toBe(`${TESTS_PASSING.replace('"./math.js"', '"../src/math.js"')}\n`);
  });

  it("exits 1 with the file printed when tests still fail after --max-fixes", async () => {
    const cwd = project();
    server.enqueue(
      { text: EXPLANATION },
      { text: SHORT_PLAN },
      { text: fence(TESTS_FAILING) },
      { text: fence(TESTS_FAILING) },
    );
    const r = await runWeft(
      ["unit-tests", "src/math.ts", "-f", "clamp", "--run", "--max-fixes", "1", "--min-cases", "0", "-q"],
      { cwd, env, timeoutMs: 90_000 },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${TESTS_FAILING}\n`);
    expect(r.stderr).toBe(
      "error: 1 test(s) still fail after 1 fix attempt(s); the test file was printed anyway. Review the failures above, raise --max-fixes, or use a stronger model.\n",
    );
  });

  it("fails clearly when the model never writes parseable code", async () => {
    const cwd = project();
    server.enqueue(
      { text: EXPLANATION },
      { text: SHORT_PLAN },
      { text: fence(TESTS_SYNTAX_ERROR) },
      { text: fence(TESTS_SYNTAX_ERROR) },
    );
    const r = await runWeft(
      ["unit-tests", "src/math.ts", "-f", "clamp", "--max-repairs", "1", "--min-cases", "0", "--quiet"],
      { cwd, env },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^error: Step 'write' failed the check 'typescript' after 2 attempt\(s\): line 6, column 35: '\)' expected\..*--max-repairs\)\.\n$/,
    );
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it.each([
    ["a missing file", ["src/nope.ts", "-f", "clamp"], /^error: Cannot read 'src\/nope.ts': no such file/],
    [
      "a missing function",
      ["src/math.ts", "-f", "clmap"],
      /^error: No top-level function named 'clmap' in .*math\.ts\. Functions found: clamp, double, width, secret\.\n$/,
    ],
    [
      "a file that is not TypeScript",
      ["notes.md", "-f", "clamp"],
      /^error: 'notes.md' is not a TypeScript source file/,
    ],
  ])("rejects %s with exit code 1, one line and no model call", async (_what, args, message) => {
    const before = server.requests.length;
    const r = await runWeft(["unit-tests", ...args], { cwd: project(), env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(server.requests.length).toBe(before);
  });

  it("requires --function", async () => {
    const r = await runWeft(["unit-tests", "src/math.ts"], { cwd: project(), env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '-f, --function <name>' not specified/);
  });
});
