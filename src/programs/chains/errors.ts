import { WeftError } from "../../spec/errors.js";
import type { StepIssue } from "./types.js";

const isStepValidation = (error: unknown): error is StepValidationError =>
  WeftError.isInstance(error) && error.code === "step-validation";

/** A chain step's output still failed a check after the allowed re-runs. */
export class StepValidationError extends WeftError {
  readonly step: string;
  readonly check: string;
  readonly issues: StepIssue[];
  readonly attempts: number;
  /** The last output, for inspection. */
  readonly output: unknown;
  constructor(opts: {
    step: string;
    check: string;
    issues: StepIssue[];
    attempts: number;
    output: unknown;
    hint?: string;
  }) {
    const first = opts.issues
      .slice(0, 3)
      .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
      .join("; ");
    const more = opts.issues.length > 3 ? ` (and ${opts.issues.length - 3} more)` : "";
    super(
      "step-validation",
      `Step '${opts.step}' failed the check '${opts.check}' after ${opts.attempts} attempt(s): ${first}${more}. ${
        opts.hint ?? "Raise maxRepairs, make the prompt more specific, or use a stronger model for this step."
      }`,
    );
    this.step = opts.step;
    this.check = opts.check;
    this.issues = opts.issues;
    this.attempts = opts.attempts;
    this.output = opts.output;
  }
  static override isInstance = isStepValidation;
}
