import type { Step } from "./types.js";

export interface BranchOptions<I, O> {
  name: string;
  /** Decides the path from the step's input. */
  when: (input: I) => boolean | Promise<boolean>;
  /** Taken when `when` is true. */
  // NoInfer: the input type comes from `when` or the chain, not from what the branches accept.
  ifTrue: Step<NoInfer<I>, O>;
  /** Taken when `when` is false; without it the input passes through unchanged. */
  ifFalse?: Step<NoInfer<I>, O>;
}

/**
 * A conditional step: runs `ifTrue` when `when(input)` holds, else `ifFalse` (or passes the input
 * through). Only the steps that run appear in the chain's results and events.
 *
 * @example
 * const maybeElaborate = branch({
 *   name: "elaborate if short",
 *   when: (plan: Plan) => plan.cases.length < 5,
 *   ifTrue: elaborateStep,
 * });
 */
export function branch<I, O>(options: BranchOptions<I, O> & { ifFalse: Step<NoInfer<I>, O> }): Step<I, O>;
export function branch<I>(options: BranchOptions<I, I>): Step<I, I>;
export function branch<I, O>(options: BranchOptions<I, O>): Step<I, O> {
  return {
    name: options.name,
    kind: "branch",
    async run(input, run) {
      if (await options.when(input)) return options.ifTrue.run(input, run);
      if (options.ifFalse) return options.ifFalse.run(input, run);
      // The overloads allow a missing `ifFalse` only when O is I.
      return input as unknown as O;
    },
  };
}
