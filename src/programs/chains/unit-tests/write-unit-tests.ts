import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";
import type { CallSettings } from "../../../generate/call-settings.js";
import { InvalidArgumentError } from "../../../spec/errors.js";
import type { LanguageModel, Message } from "../../../spec/language-model.js";
import { branch } from "../branch.js";
import { chain } from "../chain.js";
import { modelStep } from "../model-step.js";
import { type ChainResult, type RunChainOptions, runChain } from "../run-chain.js";
import type { Check } from "../types.js";
import { parseTestPlan, type TestPlan } from "./bullets.js";
import { extractCodeBlock } from "./code-block.js";
import { extractFunction, type FunctionSource } from "./extract-function.js";
import { ELABORATE_PROMPT, EXPLAIN_SYSTEM, explainPrompt, PLAN_PROMPT, writeFeedback, writePrompt } from "./prompts.js";
import { importSpecifier, retargetImport } from "./retarget-import.js";
import { resolveVitest, runVitest, type VitestRun } from "./run-vitest.js";
import { typescriptSyntaxIssues } from "./syntax-check.js";
import { type ImportTypeScript, loadTypeScript } from "./typescript.js";

/** The steps of the unit-test chain, in order; `elaborate` runs only when the plan is short. */
export type UnitTestsStep = "explain" | "plan" | "elaborate" | "write";

export interface WriteUnitTestsOptions extends Omit<RunChainOptions, "model"> {
  /** The TypeScript file that defines the function. */
  file: string;
  /** A top-level function of that file. */
  functionName: string;
  /** Resolves `file` and `outFile` (default: the current directory). */
  cwd?: string;
  /** The model for every step, unless `models` names one for a step. */
  model?: LanguageModel;
  models?: Partial<Record<UnitTestsStep, LanguageModel>>;
  /** When the plan lists fewer cases than this, a step asks for more edge cases (default 7). */
  minCases?: number;
  /** Re-runs of the write step when its reply does not parse as TypeScript (default 2). */
  maxRepairs?: number;
  /** Run the tests with vitest in a temporary folder and feed failures back (default false). */
  run?: boolean;
  /** Re-runs of the write step after failing tests, with `run` (default 2). */
  maxFixes?: number;
  /** Time limit of one vitest run (default 120 s). */
  runTimeoutMs?: number;
  /** Generation settings for every step (default temperature 0.4). */
  settings?: CallSettings;
  /** Also write the test file here, its import rewritten to reach the source file from there. */
  outFile?: string;
  /** For tests: how the TypeScript compiler is imported. */
  importTypeScript?: ImportTypeScript;
  /** vitest's entry script (default: resolved from the source's folder, then weft's). */
  vitestPath?: string;
}

export interface UnitTestsResult {
  /** The test file; it imports the function from `specifier` (or from `outFile`'s view of it). */
  code: string;
  /** Suggested name, next to the source: `<name>.test.ts`. */
  testFileName: string;
  /** How a test file next to the source imports it, e.g. `./math.js`. */
  specifier: string;
  /** Absolute path written, when `outFile` was given. */
  outFile?: string;
  function: FunctionSource;
  explanation: string;
  /** The plan, including the elaborated cases. */
  plan: TestPlan;
  elaborated: boolean;
  /** The last vitest run (with `run`); `run.ok` is false when tests still fail after `maxFixes`. */
  run?: VitestRun;
  /** Things the caller should know, e.g. that the function must be exported for the tests to import it. */
  warnings: string[];
  runId: string;
  steps: ChainResult<unknown>["steps"];
  usage: ChainResult<unknown>["usage"];
  costUsd: number | null;
  latencyMs: number;
}

interface Conversation {
  fn: FunctionSource;
  messages: Message[];
}
interface Explained extends Conversation {
  explanation: string;
}
interface Planned extends Explained {
  plan: TestPlan;
  elaborated: boolean;
}
interface Written extends Planned {
  code: string;
}

const say = (s: Conversation, content: string) => ({ messages: [...s.messages, { role: "user" as const, content }] });
const heard = (s: Conversation, content: string, reply: string): Message[] => [
  ...s.messages,
  { role: "user", content },
  { role: "assistant", content: reply },
];

function checkCount(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new InvalidArgumentError({ argument: name, message: `${name} must be an integer >= ${min}, got ${value}.` });
  }
}

/**
 * Writes vitest unit tests for one TypeScript function in several model steps: explain the
 * function, plan test cases, ask for more edge cases when the plan is short, write the tests. The
 * reply must parse as TypeScript (parse errors are fed back); with `run`, the tests are run with
 * vitest in a temporary folder and failures are fed back for a fix.
 *
 * @example
 * const result = await writeUnitTests({
 *   file: "src/math.ts",
 *   functionName: "clamp",
 *   model: createOpenAI().languageModel("gpt-4o-mini"),
 *   run: true,
 *   onText: (text) => process.stderr.write(text),
 * });
 * await writeFile("src/math.test.ts", result.code);
 */
export async function writeUnitTests(options: WriteUnitTestsOptions): Promise<UnitTestsResult> {
  checkCount("minCases", options.minCases, 0);
  checkCount("maxRepairs", options.maxRepairs, 0);
  checkCount("maxFixes", options.maxFixes, 0);
  const cwd = options.cwd ?? process.cwd();
  const fn = await extractFunction({
    file: options.file,
    name: options.functionName,
    cwd,
    importTypeScript: options.importTypeScript,
  });
  const ts = await loadTypeScript("Writing unit tests", options.importTypeScript);
  const ext = extname(fn.file);
  const testFileName = `${basename(fn.file, ext)}.test${ext}`;
  const specifier = importSpecifier(fn.file, fn.file);
  const minCases = options.minCases ?? 7;
  const settings: CallSettings = { temperature: 0.4, ...options.settings };
  const model = (step: UnitTestsStep) => options.models?.[step] ?? options.model;
  const warnings: string[] =
    fn.exported === "none"
      ? [`'${fn.name}' is not exported from ${fn.file}; export it so the tests can import it.`]
      : [];

  const checks: Array<Check<Written>> = [
    {
      name: "typescript",
      maxRepairs: options.maxRepairs ?? 2,
      hint: "The model did not write valid TypeScript; try a stronger model or allow more repairs (--max-repairs).",
      validate: ({ code }) => {
        const issues = typescriptSyntaxIssues(ts, code, testFileName);
        if (issues.length === 0 && !/\b(?:it|test)(?:\.\w+)*\s*\(/.test(code)) {
          return ["The file defines no tests: write them with it() or test() from vitest."];
        }
        return issues;
      },
    },
  ];
  let lastRun: VitestRun | undefined;
  if (options.run) {
    // A missing vitest should fail now, not after the model calls.
    const vitestPath = options.vitestPath ?? resolveVitest(dirname(fn.file));
    checks.push({
      name: "vitest",
      maxRepairs: options.maxFixes ?? 2,
      onExhausted: "accept",
      validate: async ({ code }) => {
        lastRun = await runVitest({
          ts,
          sourceFile: fn.file,
          testCode: code,
          testFileName,
          exportName: fn.exported === "none" ? fn.name : undefined,
          timeoutMs: options.runTimeoutMs,
          vitestPath,
        });
        return lastRun.failures.slice(0, 10).map((f) => ({ path: f.test, message: f.message }));
      },
    });
  }

  const pipeline = chain(
    modelStep({
      name: "explain",
      model: model("explain"),
      settings,
      prompt: (s: Conversation) => say(s, explainPrompt(s.fn)),
      parse: (text, s): Explained => ({ ...s, messages: heard(s, explainPrompt(s.fn), text), explanation: text }),
    }),
    modelStep({
      name: "plan",
      model: model("plan"),
      settings,
      prompt: (s) => say(s, PLAN_PROMPT),
      parse: (text, s): Planned => ({
        ...s,
        messages: heard(s, PLAN_PROMPT, text),
        plan: parseTestPlan(text),
        elaborated: false,
      }),
    }),
    branch({
      name: "elaborate when the plan is short",
      when: (s: Planned) => s.plan.cases.length < minCases,
      ifTrue: modelStep({
        name: "elaborate",
        model: model("elaborate"),
        settings,
        prompt: (s: Planned) => say(s, ELABORATE_PROMPT),
        parse: (text, s): Planned => ({
          ...s,
          messages: heard(s, ELABORATE_PROMPT, text),
          plan: { text: `${s.plan.text}\n\n${text}`, cases: [...s.plan.cases, ...parseTestPlan(text).cases] },
          elaborated: true,
        }),
      }),
    }),
    modelStep({
      name: "write",
      model: model("write"),
      settings,
      prompt: (s: Planned) => say(s, writePrompt(s.fn, specifier)),
      parse: (text, s): Written => ({ ...s, code: `${extractCodeBlock(text).trimEnd()}\n` }),
      feedback: writeFeedback,
      checks,
    }),
  );

  const result = await runChain(
    pipeline,
    { fn, messages: [{ role: "system", content: EXPLAIN_SYSTEM }] },
    {
      model: options.model,
      traces: options.traces,
      runId: options.runId,
      sessionId: options.sessionId,
      modelFacts: options.modelFacts,
      abortSignal: options.abortSignal,
      onEvent: options.onEvent,
      onText: options.onText,
    },
  );
  const written = result.output;
  let code = written.code;
  let outFile: string | undefined;
  if (options.outFile) {
    outFile = resolve(cwd, options.outFile);
    code = retargetImport(ts, code, { from: specifier, to: importSpecifier(outFile, fn.file) });
    await mkdir(resolve(outFile, ".."), { recursive: true });
    await writeFile(outFile, code);
  }
  return {
    code,
    testFileName,
    specifier,
    outFile,
    function: fn,
    explanation: written.explanation,
    plan: written.plan,
    elaborated: written.elaborated,
    run: lastRun,
    warnings,
    runId: result.runId,
    steps: result.steps,
    usage: result.usage,
    costUsd: result.costUsd,
    latencyMs: result.latencyMs,
  };
}
