/**
 * A single-producer, many-consumer buffer: every consumer sees every item from the start, so
 * `textStream`, `fullStream` and the result promises can all read one model stream.
 */
export interface ReplayBuffer<T> {
  push(item: T): void;
  end(error?: unknown): void;
  /** A fresh iterator over all items, past and future. */
  iterate(): AsyncIterableIterator<T>;
}

export function createReplayBuffer<T>(onFirstRead: () => void): ReplayBuffer<T> {
  const items: T[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let waiters: Array<() => void> = [];
  let started = false;
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  };
  return {
    push(item) {
      items.push(item);
      wake();
    },
    end(error) {
      done = true;
      if (error !== undefined) failure = { error };
      wake();
    },
    iterate() {
      let index = 0;
      const iterator: AsyncIterableIterator<T> = {
        async next(): Promise<IteratorResult<T>> {
          if (!started) {
            started = true;
            onFirstRead();
          }
          while (index >= items.length && !done) await new Promise<void>((r) => waiters.push(r));
          if (index < items.length) return { value: items[index++] as T, done: false };
          if (failure) throw failure.error;
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  };
}
