import { describe, expect, it } from "vitest";
import { createAsyncQueue } from "../../src/models/local/async-queue.js";
import { createMutex } from "../../src/models/local/mutex.js";
import { createStopDetector } from "../../src/models/local/stop-detector.js";
import { AbortError } from "../../src/spec/errors.js";

// The pieces of the local provider that need no model: stop sequences, call ordering, stream plumbing.

function feed(stops: string[], chunks: string[]) {
  const detector = createStopDetector(stops);
  let emitted = "";
  let stopped = false;
  for (const chunk of chunks) {
    const result = detector.push(chunk);
    emitted += result.emit;
    if (result.stopped) {
      stopped = true;
      break;
    }
  }
  if (!stopped) emitted += detector.flush();
  return { emitted, stopped, text: detector.text };
}

describe("createStopDetector", () => {
  it("cuts before a stop sequence split across chunks and never emits part of it", () => {
    const detector = createStopDetector(["\n\n"]);
    expect(detector.push("Hello\n")).toEqual({ emit: "Hello", stopped: false });
    expect(detector.push("\nmore")).toEqual({ emit: "", stopped: true });
    expect(detector.text).toBe("Hello");
  });

  it("keeps text before a stop sequence that starts inside a chunk", () => {
    expect(feed(["Lily"], [", named", " Lily", ". She"])).toEqual({
      emitted: ", named ",
      stopped: true,
      text: ", named ",
    });
  });

  it("releases held-back text when the stop sequence never completes", () => {
    expect(feed(["END"], ["the E", "N", "d"])).toEqual({ emitted: "the ENd", stopped: false, text: "the ENd" });
  });

  it("stops at the earliest of several sequences", () => {
    expect(feed(["world", "lo w"], ["hello world"]).text).toBe("hel");
  });

  it("passes everything through without stop sequences", () => {
    expect(feed([], ["a", "b"])).toEqual({ emitted: "ab", stopped: false, text: "ab" });
  });
});

describe("createMutex", () => {
  it("runs tasks one at a time in call order", async () => {
    const mutex = createMutex();
    const log: string[] = [];
    const task = (name: string, ms: number) =>
      mutex.run(async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push(`end ${name}`);
      });
    await Promise.all([task("a", 20), task("b", 1), task("c", 1)]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("rejects a waiting task on abort without letting the next one overtake the running one", async () => {
    const mutex = createMutex();
    const log: string[] = [];
    let finishFirst!: () => void;
    const first = mutex.run(
      () =>
        new Promise<void>((resolve) => {
          log.push("first start");
          finishFirst = () => {
            log.push("first end");
            resolve();
          };
        }),
    );
    const controller = new AbortController();
    const aborted = mutex.run(async () => log.push("never"), controller.signal);
    const third = mutex.run(async () => log.push("third"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(aborted).rejects.toThrow(AbortError);
    expect(log).toEqual(["first start"]);
    finishFirst();
    await Promise.all([first, third]);
    expect(log).toEqual(["first start", "first end", "third"]);
  });
});

describe("createAsyncQueue", () => {
  it("delivers pushed values in order, then ends or throws", async () => {
    const queue = createAsyncQueue<number>();
    queue.push(1);
    setTimeout(() => {
      queue.push(2);
      queue.fail(new Error("boom"));
    }, 5);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of queue.iterable) seen.push(value);
      })(),
    ).rejects.toThrow("boom");
    expect(seen).toEqual([1, 2]);
  });

  it("tells the producer when the consumer stops early", async () => {
    let cancelled = false;
    const queue = createAsyncQueue<number>({ onCancel: () => (cancelled = true) });
    queue.push(1);
    queue.push(2);
    for await (const value of queue.iterable) {
      expect(value).toBe(1);
      break;
    }
    expect(cancelled).toBe(true);
  });
});
