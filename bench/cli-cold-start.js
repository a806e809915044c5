// How long the weft command takes to start, print and exit, compared with starting Node alone.
import { isMain, timeSpawns } from "./lib/process.js";
import { formatNumber, formatSpread } from "./lib/stats.js";
import { renderResult } from "./lib/table.js";

/** Runs the benchmark and returns its result for the report. */
export async function run({ runs = 11 } = {}) {
  const commands = [
    { label: "`node -e 0`", args: ["-e", "0"] },
    { label: "`weft --version`", args: ["bin/weft.js", "--version"] },
    { label: "`weft --help`", args: ["bin/weft.js", "--help"] },
    { label: "`weft run --help`", args: ["bin/weft.js", "run", "--help"] },
  ];
  const [baseline, ...timed] = timeSpawns(commands, { runs });
  const rows = [
    [baseline.label, formatNumber(baseline.medianMs), "—", formatSpread(baseline.samples)],
    ...timed.map((r) => [
      r.label,
      formatNumber(r.medianMs),
      `+${formatNumber(r.medianMs - baseline.medianMs)}`,
      formatSpread(r.samples),
    ]),
  ];
  return {
    id: "cli-cold-start",
    title: "CLI cold start",
    method: `Wall time from spawning \`node bin/weft.js ...\` until it exits, a fresh process each time, interleaved with \`node -e 0\`, ${runs} runs each after one untimed run; the figure is the median.`,
    columns: ["command", "ms (median)", "ms above node", "ms p25–p75"],
    rows,
    notes: [],
    command: "node bench/cli-cold-start.js",
  };
}

if (isMain(import.meta.url)) console.log(renderResult(await run()));
