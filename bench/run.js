// Runs every benchmark, one after another, and rewrites docs/benchmarks.md.
import { fileURLToPath } from "node:url";
import { describeMachine } from "./lib/machine.js";
import { renderResult } from "./lib/table.js";
import { writeReport } from "./report.js";

const benchmarks = [
  ["call-overhead", () => import("./call-overhead.js")],
  ["stream-overhead", () => import("./stream-overhead.js")],
  ["import-cost", () => import("./import-cost.js")],
  ["cli-cold-start", () => import("./cli-cold-start.js")],
  ["local-tokens", () => import("./local-tokens.js")],
  ["programs-overhead", () => import("./programs-overhead.js")],
  ["programs-select", () => import("./programs-select.js")],
  ["memory-scifact", () => import("./memory-scifact.js")],
  ["memory-hotpotqa", () => import("./memory-hotpotqa.js")],
  ["memory-indexing", () => import("./memory-indexing.js")],
  ["memory-vectors", () => import("./memory-vectors.js")],
  ["agent-overhead", () => import("./agent-overhead.js")],
];

const only = process.argv.slice(2);
const machine = describeMachine();
const startedAt = new Date();
const results = [];
for (const [name, load] of benchmarks) {
  if (only.length && !only.includes(name)) continue;
  const t0 = performance.now();
  process.stderr.write(`bench: ${name} ...\n`);
  let result;
  try {
    result = await (await load()).run();
  } catch (error) {
    // One broken benchmark must not lose the others' figures; the page says what failed.
    result = { id: name, title: name, skipped: `failed: ${error.message}`, command: `node bench/${name}.js` };
    process.exitCode = 1;
  }
  process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  console.log(renderResult(result));
  results.push(result);
}
const out = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
if (only.length) {
  process.stderr.write("bench: a subset was run, so docs/benchmarks.md was left unchanged\n");
} else {
  const loadAtEnd = describeMachine().loadAverage;
  writeReport(out, { machine, loadAtEnd, results, startedAt, durationMs: Date.now() - startedAt.getTime() });
  process.stderr.write(`bench: wrote ${out}\n`);
}
