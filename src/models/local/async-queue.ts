/** A push-based async iterable: producers push values, one consumer iterates them. */
export interface AsyncQueue<T> {
  push(value: T): void;
  /** Ends the iteration after the values already pushed. */
  end(): void;
  /** Makes the iteration throw `error` after the values already pushed. */
  fail(error: unknown): void;
  readonly iterable: AsyncIterable<T>;
}

/**
 * Creates an unbounded async queue. `onCancel` runs when the consumer stops early (`break` in a
 * `for await`), so the producer can stop too.
 *
 * @example
 * const queue = createAsyncQueue<string>();
 * queue.push("a");
 * queue.end();
 * for await (const value of queue.iterable) console.log(value);
 */
export function createAsyncQueue<T>(options: { onCancel?: () => void } = {}): AsyncQueue<T> {
  const values: T[] = [];
  let closed = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;

  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  async function* iterate(): AsyncGenerator<T> {
    try {
      while (true) {
        if (values.length > 0) {
          yield values.shift() as T;
          continue;
        }
        if (failure) throw failure.error;
        if (closed) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      if (!closed && !failure) {
        closed = true;
        options.onCancel?.();
      }
    }
  }

  return {
    push(value) {
      if (closed || failure) return;
      values.push(value);
      notify();
    },
    end() {
      closed = true;
      notify();
    },
    fail(error) {
      if (closed || failure) return;
      failure = { error };
      notify();
    },
    iterable: { [Symbol.asyncIterator]: iterate },
  };
}
