import type { LanguageModel } from "../../spec/language-model.js";
import { TemplateError, type TemplateErrorKind, type TemplateLocation } from "./errors.js";
import type { ModelCaller } from "./model-calls.js";
import type { CompiledProgram } from "./parse.js";
import type { ReplayLog } from "./replay.js";
import type { Frame } from "./scope.js";
import type { Transcript } from "./transcript.js";

/** Options a helper receives as its last argument, after the positional arguments. */
export interface HelperOptions {
  /** `key=value` arguments. */
  hash: Record<string, unknown>;
  /** The helper's name as written in the template. */
  name: string;
  /** The current `this`. */
  context: unknown;
  /** The program's variables (read them; set variables with `{{set}}`). */
  variables: Record<string, unknown>;
  line: number;
  abortSignal?: AbortSignal;
}

/**
 * A function a template can call: `{{name a b key=c}}` or `(name a b)`; may return a promise. It
 * receives the positional arguments, then a HelperOptions object.
 */
// Method syntax keeps parameters bivariant, so `(best: string[]) => string` is accepted as a helper.
export type Helper = { call(...args: unknown[]): unknown }["call"];

/** Another program to include with `{{> name}}`: template text or a compiled program. */
export type PartialSource = string | CompiledProgram;

/** Partials by name, or a function that finds one (e.g. reads `name.hbs` next to the main file). */
export type Partials =
  | Record<string, PartialSource>
  | ((name: string) => PartialSource | undefined | Promise<PartialSource | undefined>);

/** The program currently running (the main one or a partial), for error locations. */
export interface ProgramMeta {
  name?: string;
}

/** Everything one run shares while walking the template. */
export interface RunContext {
  model?: LanguageModel;
  caller?: ModelCaller;
  root: Record<string, unknown>;
  helpers: Record<string, Helper>;
  partials?: Partials;
  partialCache: Map<string, CompiledProgram>;
  partialDepth: number;
  transcript: Transcript;
  replay: ReplayLog;
  /** Values passed for `{{await}}` in this call, consumed once each. */
  pendingAwaits: Map<string, unknown>;
  logprobs: Record<string, Record<string, number | null>>;
  defaults: { maxTokens: number; temperature: number };
  /** Stream gen output through the transcript as it arrives. */
  streaming: boolean;
  /** Non-null while rendering select options: text goes here instead of the transcript. */
  capture: string[] | null;
  abortSignal?: AbortSignal;
  render(program: hbs.AST.Program | undefined, frame: Frame, meta: ProgramMeta): Promise<void>;
  evaluate(node: hbs.AST.Node, frame: Frame, meta: ProgramMeta): Promise<unknown>;
  /** Writes template text or a value: into the capture when capturing, else into the transcript. */
  emit(text: string, frame: Frame, kind?: "text" | "value" | "await", name?: string): void;
}

/** Thrown to unwind the interpreter when `{{await}}` has no value; never escapes runProgram. */
export class AwaitSignal extends Error {
  readonly variable: string;
  readonly location: TemplateLocation;
  constructor(variable: string, location: TemplateLocation) {
    super(`awaiting ${variable}`);
    this.variable = variable;
    this.location = location;
  }
}

/**
 * The 1-based line and column of a node in its program.
 *
 * @example
 * locationOf(node, { name: "story.hbs" }); // { line: 3, column: 9, program: "story.hbs" }
 */
export function locationOf(node: hbs.AST.Node, meta: ProgramMeta): TemplateLocation {
  return { line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1, program: meta.name };
}

/**
 * A TemplateError located at a node.
 *
 * @example
 * throw templateError(node, meta, "unknown-helper", "Unknown helper 'f'", "f");
 */
export function templateError(
  node: hbs.AST.Node,
  meta: ProgramMeta,
  kind: TemplateErrorKind,
  message: string,
  subject?: string,
  cause?: unknown,
): TemplateError {
  return new TemplateError({ ...locationOf(node, meta), kind, message, subject, cause });
}

/**
 * The plain name of a helper-like path (`gen`, `each`), or undefined for `this.x`, `../x`, `@x`.
 *
 * @example
 * simpleName(mustache.path); // "gen"
 */
export function simpleName(path: hbs.AST.Node | undefined): string | undefined {
  if (path?.type !== "PathExpression") return undefined;
  const p = path as hbs.AST.PathExpression;
  if (p.data || p.depth > 0 || p.parts.length !== 1 || /^(this|\.)/.test(p.original)) return undefined;
  return p.parts[0];
}

/**
 * Evaluates a tag's `key=value` arguments in order.
 *
 * @example
 * await evaluateHash(rc, node.hash, frame, meta); // { max_tokens: 20, stop: "\n" }
 */
export async function evaluateHash(
  rc: RunContext,
  hash: hbs.AST.Hash | undefined,
  frame: Frame,
  meta: ProgramMeta,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const pair of hash?.pairs ?? []) out[pair.key] = await rc.evaluate(pair.value, frame, meta);
  return out;
}
