import { checksOf, runLeaf } from "./run-leaf.js";
import type { CheckOptions, Step, StepContext } from "./types.js";

export interface TransformStepOptions<I, O> extends CheckOptions<I, O> {
  name: string;
  /** The work: any sync or async function. On a re-run `ctx.feedback` holds the failed check's issues. */
  run: (input: I, ctx: StepContext<O>) => O | Promise<O>;
}

/**
 * A step that runs plain code: reshape the previous output, call a tool, read a file. It can have
 * checks like a model step, and stream progress with `ctx.emit`.
 *
 * @example
 * const bullets = transformStep({
 *   name: "bullets",
 *   run: (text: string) => text.split("\n").filter((line) => line.startsWith("- ")),
 *   validate: (items) => (items.length === 0 ? ["No bullet points found."] : []),
 * });
 */
export function transformStep<I, O>(options: TransformStepOptions<I, O>): Step<I, O> {
  const checks = checksOf(options);
  return {
    name: options.name,
    kind: "transform",
    run: (input, run) =>
      runLeaf<I, O>({
        name: options.name,
        kind: "transform",
        input,
        run,
        checks,
        attempt: async (ctx) => ({ output: await options.run(input, ctx) }),
      }),
  };
}
