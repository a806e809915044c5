/**
 * Runs one query under a time limit and an optional AbortSignal. When either fires, the engine's
 * own way of stopping work is called (DuckDB interrupt, killing the SQLite process, a PostgreSQL
 * cancel request); the query's promise then settles with the engine's error, which is replaced by
 * a timeout SqlRejectedError or an AbortError.
 */

import { AbortError, InvalidArgumentError, SqlRejectedError } from "../../spec/errors.js";

/** Rows returned by default when `maxRows` is not given. */
export const DEFAULT_MAX_ROWS = 1000;
/** Time limit when `timeoutMs` is not given. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface DeadlineOptions {
  sql: string;
  timeoutMs: number;
  abortSignal?: AbortSignal;
  /** Stops the engine; called at most once. */
  interrupt: () => void;
  /**
   * After interrupting, how long to wait for the query to give up before rejecting anyway (for
   * engines whose interrupt may not be honoured). Default: wait for the query.
   */
  graceMs?: number;
}

/**
 * Awaits `task()`; if the deadline passes or the signal aborts first, interrupts the engine and
 * throws SqlRejectedError (reason "timeout") or AbortError.
 *
 * @example
 * await withDeadline(() => connection.run(sql), { sql, timeoutMs: 5000, interrupt: () => connection.interrupt() });
 */
export async function withDeadline<T>(task: () => Promise<T>, options: DeadlineOptions): Promise<T> {
  const { sql, timeoutMs, abortSignal } = options;
  if (abortSignal?.aborted) throw new AbortError({ cause: abortSignal.reason });
  let stopped: "timeout" | "aborted" | undefined;
  let giveUp: (() => void) | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    giveUp = () => reject(new Error("interrupted"));
  });
  gaveUp.catch(() => undefined);
  let graceTimer: NodeJS.Timeout | undefined;
  const stop = (why: "timeout" | "aborted") => {
    if (stopped) return;
    stopped = why;
    try {
      options.interrupt();
    } catch {
      // The engine may have finished between the timer and the interrupt; the task settles anyway.
    }
    if (options.graceMs !== undefined) graceTimer = setTimeout(() => giveUp?.(), options.graceMs);
  };
  const timer = setTimeout(() => stop("timeout"), timeoutMs);
  const onAbort = () => stop("aborted");
  abortSignal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await Promise.race([task(), gaveUp]);
  } catch (error) {
    if (stopped === "aborted") throw new AbortError({ cause: abortSignal?.reason ?? error });
    // The engine may also stop the query itself at the same limit (PostgreSQL's statement_timeout).
    if (stopped === "timeout" || (SqlRejectedError.isInstance(error) && error.reason === "timeout")) {
      throw new SqlRejectedError({
        sql,
        reason: "timeout",
        message: `The query ran longer than ${timeoutMs} ms and was stopped. Make it cheaper (filter, aggregate or LIMIT it) or allow more time with timeoutMs.`,
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    if (graceTimer) clearTimeout(graceTimer);
    abortSignal?.removeEventListener("abort", onAbort);
  }
}

/** Reads `maxRows` / `timeoutMs`, rejecting nonsense early. */
export function runLimits(options: { maxRows?: number; timeoutMs?: number } = {}): {
  maxRows: number;
  timeoutMs: number;
} {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(maxRows) || maxRows < 0) {
    throw new InvalidArgumentError({
      argument: "maxRows",
      message: `maxRows must be a whole number ≥ 0, not ${maxRows}.`,
    });
  }
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new InvalidArgumentError({
      argument: "timeoutMs",
      message: `timeoutMs must be a positive number of milliseconds, not ${timeoutMs}.`,
    });
  }
  return { maxRows, timeoutMs };
}
