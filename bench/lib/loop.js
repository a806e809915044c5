import { median } from "./stats.js";

async function timeBatch(call, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1e3 / count;
}

/**
 * Times an async call in-process. Warm-up runs batches of about `roundMs` for at least
 * `minWarmupMs` and `minWarmupCalls`, until two batches agree within 10 % (at most
 * `maxWarmupMs`): heavy call paths need thousands of calls before the JIT settles. Then `rounds`
 * batches are timed, each long enough to include the garbage collections the calls cause.
 * Returns microseconds per call for every timed batch; `afterBatch` runs between batches, untimed.
 */
export async function timeCalls(
  call,
  { minWarmupMs = 1000, minWarmupCalls = 5000, maxWarmupMs = 6000, roundMs = 200, rounds = 5, afterBatch } = {},
) {
  const warmStart = performance.now();
  let perCallUs = await timeBatch(call, 10);
  let previous = Number.POSITIVE_INFINITY;
  let warmupCalls = 10;
  for (;;) {
    afterBatch?.();
    const count = Math.max(1, Math.round((roundMs * 1000) / perCallUs));
    perCallUs = await timeBatch(call, count);
    warmupCalls += count;
    const elapsed = performance.now() - warmStart;
    const settled = Math.abs(perCallUs - previous) / previous < 0.1;
    if ((settled && elapsed >= minWarmupMs && warmupCalls >= minWarmupCalls) || elapsed >= maxWarmupMs) break;
    previous = perCallUs;
  }
  afterBatch?.();
  const batch = Math.max(1, Math.round((roundMs * 1000) / perCallUs));
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    samples.push(await timeBatch(call, batch));
    afterBatch?.();
  }
  return { samples, batch, warmupCalls, warmupMs: performance.now() - warmStart, medianUs: median(samples) };
}
