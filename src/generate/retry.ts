import { AbortError, RateLimitError, WeftError } from "../spec/errors.js";

export interface RetryOptions {
  /** Retries after the first attempt (default 2). 0 disables retrying. */
  maxRetries?: number;
  /** First backoff delay (default 500 ms); doubles each retry, with ±20 % jitter. */
  initialDelayMs?: number;
  /** Upper bound on one wait, including a server's Retry-After (default 60 s). */
  maxDelayMs?: number;
  abortSignal?: AbortSignal;
  /** Called before each wait; useful for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; error: WeftError }) => void;
}

export interface RetryResult<T> {
  value: T;
  attempts: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError({ cause: signal.reason }));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(WeftError.isInstance(signal?.reason) ? signal.reason : new AbortError({ cause: signal?.reason }));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `fn`, retrying errors marked `retryable` (429, 5xx, dropped connections, timeouts) with
 * exponential backoff. A server's Retry-After wins over the computed delay.
 *
 * Written here rather than taken from a retry package because the delay must come from weft's
 * error data (RateLimitError.retryAfterMs) and aborts must stop the wait at once.
 *
 * @example
 * const { value } = await withRetries(() => model.doGenerate(options), { maxRetries: 3 });
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<RetryResult<T>> {
  const maxRetries = options.maxRetries ?? 2;
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (error) {
      if (!WeftError.isInstance(error) || !error.retryable || attempt > maxRetries || options.abortSignal?.aborted) {
        throw error;
      }
      const backoff = initial * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
      const serverDelay = RateLimitError.isInstance(error) ? error.retryAfterMs : undefined;
      const delayMs = Math.min(max, serverDelay ?? backoff);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.abortSignal);
    }
  }
}
