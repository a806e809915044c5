import { TimeoutError } from "../spec/errors.js";

/**
 * Combines a caller's AbortSignal with a per-call timeout. The signal aborts with a TimeoutError as
 * its reason, so providers and retries can tell a timeout from a user abort.
 */
export function callSignal(opts: { abortSignal?: AbortSignal; timeoutMs?: number }): {
  signal: AbortSignal | undefined;
  dispose: () => void;
} {
  if (opts.timeoutMs === undefined) return { signal: opts.abortSignal, dispose: () => {} };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError({ timeoutMs: opts.timeoutMs })), opts.timeoutMs);
  const onAbort = () => controller.abort(opts.abortSignal?.reason);
  if (opts.abortSignal?.aborted) onAbort();
  opts.abortSignal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      opts.abortSignal?.removeEventListener("abort", onAbort);
    },
  };
}
