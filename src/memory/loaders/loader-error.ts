import { WeftError } from "../../spec/errors.js";

/**
 * A file could not be turned into a document. `reason` says what is wrong with it; the message
 * names the file, the reason and what to do about it.
 *
 * @example
 * try { await loadDocument("notes.pdf"); } catch (e) { if (LoaderError.isInstance(e)) console.warn(e.message); }
 */
export class LoaderError extends WeftError {
  readonly path: string;
  readonly reason: string;

  constructor(opts: { path: string; reason: string; fix: string; cause?: unknown }) {
    super("loader", `Could not load ${opts.path}: ${opts.reason}. ${opts.fix}`, { cause: opts.cause });
    this.path = opts.path;
    this.reason = opts.reason;
  }

  static override isInstance(error: unknown): error is LoaderError {
    return WeftError.isInstance(error) && error.code === "loader";
  }
}
