import { describe, expect, it } from "vitest";
import { withDeadline } from "../../../src/data/sources/deadline.js";
import { AbortError, SqlRejectedError } from "../../../src/spec/errors.js";

/** A task that only ends when interrupted, like a query the engine stops. */
function stoppable() {
  let stop: (error: Error) => void = () => undefined;
  let interrupted = 0;
  const task = () =>
    new Promise<never>((_, reject) => {
      stop = reject;
    });
  return {
    task,
    interrupt: () => {
      interrupted++;
      stop(new Error("engine: interrupted"));
    },
    count: () => interrupted,
  };
}

describe("withDeadline", () => {
  it("interrupts the engine once at the time limit and reports a timeout", async () => {
    const q = stoppable();
    const error = await withDeadline(q.task, { sql: "SELECT 1", timeoutMs: 20, interrupt: q.interrupt }).catch(
      (e: unknown) => e,
    );
    expect(SqlRejectedError.isInstance(error) && error.reason).toBe("timeout");
    expect((error as Error).message).toContain("20 ms");
    expect(q.count()).toBe(1);
  });

  it("reports an abort as AbortError", async () => {
    const q = stoppable();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const error = await withDeadline(q.task, {
      sql: "SELECT 1",
      timeoutMs: 10_000,
      abortSignal: controller.signal,
      interrupt: q.interrupt,
    }).catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(q.count()).toBe(1);
  });

  it("gives the same timeout message when the engine stopped the query itself", async () => {
    const engine = new SqlRejectedError({ sql: "x", reason: "timeout", message: "PostgreSQL: canceling statement." });
    const error = await withDeadline(() => Promise.reject(engine), {
      sql: "x",
      timeoutMs: 300,
      interrupt: () => undefined,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("300 ms");
    expect((error as Error).cause).toBe(engine);
  });

  it("gives up on an engine that ignores the interrupt after the grace period", async () => {
    const error = await withDeadline(() => new Promise<never>(() => undefined), {
      sql: "x",
      timeoutMs: 10,
      graceMs: 10,
      interrupt: () => undefined,
    }).catch((e: unknown) => e);
    expect(SqlRejectedError.isInstance(error) && error.reason).toBe("timeout");
  });

  it("passes results and other errors through", async () => {
    await expect(withDeadline(async () => 7, { sql: "x", timeoutMs: 1000, interrupt: () => undefined })).resolves.toBe(
      7,
    );
    await expect(
      withDeadline(() => Promise.reject(new Error("boom")), { sql: "x", timeoutMs: 1000, interrupt: () => undefined }),
    ).rejects.toThrow("boom");
  });
});
