/**
 * Prompting techniques as plain functions: task context and prompt checks, chain-of-thought,
 * self-consistency, tree-of-thought and few-shot example selection. Each returns the usage and cost
 * summed over the model calls it made.
 */

export {
  type AnswerFormat,
  type AnswerMatch,
  choiceAnswer,
  type ExtractedAnswer,
  extractAnswer,
  gsm8kAnswer,
  normalizeNumber,
  normalizeText,
  numberAnswer,
  phraseAnswer,
  regexAnswer,
} from "./answer-formats.js";
export {
  type ChainOfThoughtOptions,
  type ChainOfThoughtResult,
  chainOfThought,
  chainOfThoughtSuffix,
  type ParsedReasoning,
  parseReasoning,
  type ReasoningStyle,
} from "./chain-of-thought.js";
export {
  type CheckPromptOptions,
  checkPrompt,
  type PromptCheck,
  type PromptIssue,
  type PromptIssueCode,
} from "./check-prompt.js";
export {
  type CritiquePromptOptions,
  type CritiquePromptResult,
  critiquePrompt,
  type PromptCritique,
} from "./critique-prompt.js";
export {
  createExampleSelector,
  type ExampleSelectOptions,
  type ExampleSelector,
  type ExampleSelectorOptions,
  type FewShotExample,
  type FewShotSelection,
  selectExamples,
} from "./few-shot.js";
export type { TechniquePrompt, TechniqueSettings } from "./sample.js";
export {
  type MajorityVote,
  majorityVote,
  type SelfConsistencyOptions,
  type SelfConsistencyResult,
  type SelfConsistencySample,
  selfConsistency,
  type VoteCount,
} from "./self-consistency.js";
export { type BuildTaskPromptOptions, buildTaskPrompt, type TaskExample, type TaskSpec } from "./task-prompt.js";
export type { TokenCounterKind } from "./token-count.js";
export {
  type ThoughtNode,
  type TreeOfThoughtOptions,
  type TreeOfThoughtResult,
  type TreeOfThoughtStep,
  treeOfThought,
} from "./tree-of-thought.js";
export {
  defaultTreeOfThoughtPrompts,
  type ThoughtContext,
  type TreeOfThoughtPrompts,
} from "./tree-of-thought-prompts.js";
export type { TechniqueUsage } from "./usage.js";
