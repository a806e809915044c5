import { WeftError } from "../../spec/errors.js";

/** Where in a template something happened: 1-based line and column, and the program's name if it has one. */
export interface TemplateLocation {
  line: number;
  column: number;
  program?: string;
}

function where(loc: TemplateLocation): string {
  return `${loc.program ? `${loc.program}, ` : ""}line ${loc.line}, column ${loc.column}`;
}

/**
 * The template does not parse. The message gives the line, the column, the offending text and a hint.
 *
 * @example
 * try { compileProgram("{{#if ok}}yes"); } catch (e) { if (TemplateSyntaxError.isInstance(e)) console.log(e.line); }
 */
export class TemplateSyntaxError extends WeftError {
  readonly line: number;
  readonly column: number;
  readonly program?: string;
  readonly hint: string;
  constructor(opts: TemplateLocation & { detail: string; hint: string; excerpt?: string; cause?: unknown }) {
    const excerpt = opts.excerpt ? `\n${opts.excerpt}` : "";
    super("template-syntax", `Template syntax error at ${where(opts)}: ${opts.detail}.${excerpt}\nHint: ${opts.hint}`, {
      cause: opts.cause,
    });
    this.line = opts.line;
    this.column = opts.column;
    this.program = opts.program;
    this.hint = opts.hint;
  }
  static override isInstance = (error: unknown): error is TemplateSyntaxError =>
    WeftError.isInstance(error) && error.code === "template-syntax";
}

/** What went wrong while running a program. */
export type TemplateErrorKind =
  | "unknown-variable"
  | "unknown-helper"
  | "unknown-partial"
  | "bad-argument"
  | "helper-failed"
  | "state-mismatch"
  | "no-model";

/**
 * A program failed while running: an unknown variable, helper or partial (named), a bad argument to a
 * built-in, a helper that threw, or saved state that does not match the program.
 *
 * @example
 * try { await runProgram("Hi {{name}}", {}); } catch (e) { if (TemplateError.isInstance(e)) console.log(e.kind, e.name); }
 */
export class TemplateError extends WeftError {
  readonly kind: TemplateErrorKind;
  readonly line: number;
  readonly column: number;
  readonly program?: string;
  /** The variable, helper or partial concerned, when there is one. */
  readonly subject?: string;
  constructor(
    opts: TemplateLocation & { kind: TemplateErrorKind; message: string; subject?: string; cause?: unknown },
  ) {
    super("template", `${opts.message} (${where(opts)})`, { cause: opts.cause });
    this.kind = opts.kind;
    this.line = opts.line;
    this.column = opts.column;
    this.program = opts.program;
    this.subject = opts.subject;
  }
  static override isInstance = (error: unknown): error is TemplateError =>
    WeftError.isInstance(error) && error.code === "template";
}
