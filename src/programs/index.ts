/**
 * Programs: guidance-style template programs, model-backed choices and constrained generation,
 * prompting techniques and multi-step chains.
 */

export * from "./chains/index.js";
export { generateWithPattern, type PatternGenOptions, type PatternGenResult } from "./pattern.js";
export { regexToGbnf } from "./regex-to-gbnf.js";
export {
  chooseSelectMethod,
  type SelectMethod,
  type SelectOptions,
  type SelectResult,
  selectOption,
} from "./select.js";
export * from "./techniques/index.js";
export type { Helper, HelperOptions, PartialSource, Partials } from "./template/context.js";
export {
  TemplateError,
  type TemplateErrorKind,
  type TemplateLocation,
  TemplateSyntaxError,
} from "./template/errors.js";
export type { ProgramCall } from "./template/model-calls.js";
export { type CompiledProgram, compileProgram, isCompiledProgram } from "./template/parse.js";
export type { ProgramState, ReplayEntry } from "./template/replay.js";
export {
  type ProgramResult,
  type RunProgramOptions,
  runProgram,
  streamProgram,
} from "./template/run-program.js";
export type { ChatRole, TranscriptSegment } from "./template/transcript.js";
