import { AbortError } from "../../spec/errors.js";

/** Runs async tasks one at a time, in call order. */
export interface Mutex {
  /** Waits for earlier tasks, then runs `task`. Rejects with AbortError if `signal` fires while waiting. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * Creates a FIFO mutex. A local model has one context sequence, so calls on it must not overlap.
 *
 * @example
 * const mutex = createMutex();
 * await mutex.run(() => generate(), abortSignal);
 */
export function createMutex(): Mutex {
  let tail: Promise<void> = Promise.resolve();
  return {
    async run(task, signal) {
      const previous = tail;
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      // Chained on `previous` so an aborted waiter never lets the next task start early.
      tail = previous.then(() => done);
      try {
        await waitUnlessAborted(previous, signal);
        return await task();
      } finally {
        release();
      }
    },
  };
}

function waitUnlessAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortError({ cause: signal.reason }));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new AbortError({ cause: signal.reason }));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
