import { timeCalls } from "./loop.js";
import { isMain, reply, runWorker } from "./process.js";
import { formatNumber, formatRatio, formatSpread, median } from "./stats.js";
import { renderResult } from "./table.js";

/**
 * Runs every competitor of an in-process benchmark, each in its own fresh process, for `passes`
 * passes in turn (A B C D, A B C D, ...), and pools each competitor's batch timings.
 */
export function runCompetitors(file, names, { passes = 2, rounds = 5 } = {}) {
  const pooled = Object.fromEntries(names.map((n) => [n, { samples: [], batch: 0, check: undefined }]));
  for (let p = 0; p < passes; p++) {
    for (const name of names) {
      const result = runWorker(file, [name, String(rounds)]);
      pooled[name].samples.push(...result.samples);
      pooled[name].batch = result.batch;
      pooled[name].check = result.check;
    }
  }
  for (const entry of Object.values(pooled)) entry.medianUs = median(entry.samples);
  return pooled;
}

/**
 * The worker side: `setups[name]()` returns `{ call, afterBatch?, check? }`; `check()` runs one
 * call outside the timing and returns what the parent prints to show the call did real work.
 * `timing` overrides timeCalls' warm-up options.
 */
export async function workerMain(setups, argv, timing = {}) {
  const [name, rounds] = argv;
  const setup = setups[name];
  if (!setup) throw new Error(`unknown competitor ${name}; expected one of ${Object.keys(setups).join(", ")}`);
  const { call, afterBatch, check } = await setup();
  const checked = check ? await check() : undefined;
  const result = await timeCalls(call, { ...timing, rounds: Number(rounds), afterBatch });
  reply({ ...result, check: checked });
}

/**
 * The entry point of a contest file: with `--worker` it is one competitor's timing process,
 * otherwise it runs the whole contest and prints the result.
 */
export async function contestMain(url, competitors, run, timing = {}) {
  if (!isMain(url)) return;
  if (process.argv[2] === "--worker") {
    const setups = Object.fromEntries(Object.entries(competitors).map(([k, v]) => [k, v.setup]));
    await workerMain(setups, process.argv.slice(3), timing);
  } else {
    console.log(renderResult(await run()));
  }
}

/**
 * One table row per competitor, against weft: label, code, median µs, `derived(medianUs)`, spread,
 * ratio to weft, and `shown(check)` (default: the check as JSON).
 */
export function contestRows(competitors, pooled, { derived, shown = (check) => JSON.stringify(check) }) {
  const base = pooled.weft.medianUs;
  return Object.keys(competitors).map((name) => {
    const { samples, medianUs, check } = pooled[name];
    return [
      competitors[name].label,
      competitors[name].code,
      formatNumber(medianUs),
      formatNumber(derived(medianUs)),
      formatSpread(samples),
      formatRatio(medianUs, base),
      shown(check),
    ];
  });
}
