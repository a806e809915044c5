/**
 * Chains: multi-step pipelines of model calls and code, with branches, checks that re-run a step
 * with feedback, streaming events and one trace per model call; and the unit-test writing chain.
 */

export { type BranchOptions, branch } from "./branch.js";
export { chain } from "./chain.js";
export { StepValidationError } from "./errors.js";
export { defaultFeedback, type ModelStepOptions, modelStep } from "./model-step.js";
export {
  type ChainResult,
  type RunChainOptions,
  runChain,
  type StreamChainResult,
  streamChain,
} from "./run-chain.js";
export { type TransformStepOptions, transformStep } from "./transform-step.js";
export type {
  ChainEvent,
  ChainRun,
  Check,
  CheckOptions,
  IssueList,
  Step,
  StepContext,
  StepFeedback,
  StepInput,
  StepIssue,
  StepKind,
  StepOutput,
  StepResult,
} from "./types.js";
export { type BulletItem, type PlanCase, parseBullets, parseTestPlan, type TestPlan } from "./unit-tests/bullets.js";
export { extractCodeBlock } from "./unit-tests/code-block.js";
export { extractFunction, type FunctionSource } from "./unit-tests/extract-function.js";
export type { VitestFailure, VitestRun } from "./unit-tests/run-vitest.js";
export { typescriptSyntaxIssues } from "./unit-tests/syntax-check.js";
export {
  type UnitTestsResult,
  type UnitTestsStep,
  type WriteUnitTestsOptions,
  writeUnitTests,
} from "./unit-tests/write-unit-tests.js";
