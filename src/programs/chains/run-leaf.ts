import { addCost, addUsage } from "../../generate/usage.js";
import { AbortError, InvalidArgumentError, WeftError } from "../../spec/errors.js";
import type { Usage } from "../../spec/language-model.js";
import { StepValidationError } from "./errors.js";
import type {
  ChainRun,
  Check,
  CheckOptions,
  IssueList,
  StepContext,
  StepFeedback,
  StepIssue,
  StepResult,
} from "./types.js";

/** What one attempt of a leaf step produced. */
export interface AttemptOutcome<O> {
  output: O;
  text?: string;
  usage?: Usage;
  costUsd?: number | null;
  model?: string;
}

/** Issues as objects: `"msg"` becomes `{ message: "msg" }`; nothing becomes `[]`. */
export function normalizeIssues(list: IssueList): StepIssue[] {
  return (list ?? []).map((issue) => (typeof issue === "string" ? { message: issue } : issue));
}

/** The checks of a step: `validate` (as a check named `validate`) first, then `checks`. */
export function checksOf<I, O>(options: CheckOptions<I, O>): Array<Check<O, I>> {
  const list: Array<Check<O, I>> = [];
  const validate = options.validate;
  if (validate) list.push({ name: "validate", validate, maxRepairs: options.maxRepairs });
  list.push(...(options.checks ?? []));
  for (const check of list) {
    const bound = check.maxRepairs;
    if (bound !== undefined && !(Number.isInteger(bound) && bound >= 0)) {
      throw new InvalidArgumentError({
        argument: "maxRepairs",
        message: `maxRepairs of check '${check.name}' must be an integer >= 0, got ${bound}.`,
      });
    }
  }
  return list;
}

/** Throws the abort reason (as a WeftError) when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw WeftError.isInstance(signal.reason) ? signal.reason : new AbortError({ cause: signal.reason });
}

/**
 * Runs the attempts of a model or transform step: each attempt's output goes through the checks
 * in order; the first failing check's issues are fed back to the next attempt until that check's
 * repairs run out.
 */
export async function runLeaf<I, O>(opts: {
  name: string;
  kind: "model" | "transform";
  model?: string;
  input: I;
  run: ChainRun;
  checks: ReadonlyArray<Check<O, I>>;
  attempt: (ctx: StepContext<O>) => Promise<AttemptOutcome<O>>;
}): Promise<O> {
  const { name, run, input } = opts;
  run.emit({ type: "start", step: name, kind: opts.kind, model: opts.model });
  const started = performance.now();
  const repairs = new Map<Check<O, I>, number>();
  let usage: Usage = {};
  let costUsd: number | null = 0;
  let feedback: StepFeedback<O> | undefined;

  for (let attempt = 1; ; attempt++) {
    throwIfAborted(run.abortSignal);
    const ctx: StepContext<O> = {
      runId: run.runId,
      step: name,
      attempt,
      feedback,
      abortSignal: run.abortSignal,
      emit: (text) => run.emit({ type: "text", step: name, text }),
    };
    const outcome = await opts.attempt(ctx);
    usage = addUsage(usage, outcome.usage ?? {});
    costUsd = addCost(costUsd, outcome.costUsd === undefined ? 0 : outcome.costUsd);

    let failed: { check: Check<O, I>; issues: StepIssue[] } | undefined;
    for (const check of opts.checks) {
      run.emit({ type: "check", step: name, check: check.name, status: "running", issues: [] });
      const issues = normalizeIssues(await check.validate(outcome.output, input, ctx));
      const status = issues.length > 0 ? "failed" : "passed";
      run.emit({ type: "check", step: name, check: check.name, status, issues });
      if (issues.length > 0) {
        failed = { check, issues };
        break;
      }
    }

    const finish = (issues: StepIssue[]): O => {
      const result: StepResult = {
        name,
        kind: opts.kind,
        output: outcome.output,
        text: outcome.text,
        model: outcome.model ?? opts.model,
        attempts: attempt,
        valid: issues.length === 0,
        issues,
        usage,
        costUsd,
        latencyMs: performance.now() - started,
      };
      run.record(result);
      run.emit({ type: "end", step: name, result });
      return outcome.output;
    };
    if (!failed) return finish([]);

    const { check, issues } = failed;
    const used = repairs.get(check) ?? 0;
    if (used < (check.maxRepairs ?? 2)) {
      repairs.set(check, used + 1);
      feedback = { check: check.name, issues, output: outcome.output, text: outcome.text };
      run.emit({ type: "retry", step: name, attempt: attempt + 1, check: check.name, issues });
      continue;
    }
    if (check.onExhausted === "accept") return finish(issues);
    throw new StepValidationError({
      step: name,
      check: check.name,
      issues,
      attempts: attempt,
      output: outcome.output,
      hint: check.hint,
    });
  }
}
