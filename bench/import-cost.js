// Time to import each library in a fresh Node process, above the cost of starting Node at all.
import { isMain, timeSpawns } from "./lib/process.js";
import { formatNumber, formatRatio, formatSpread } from "./lib/stats.js";
import { renderResult } from "./lib/table.js";

const targets = [
  { label: "weft", specifier: "weft", note: "dist/index.js, the package's main entry" },
  { label: "Vercel AI SDK", specifier: "ai", note: "main entry" },
  {
    label: "LangChain",
    specifier: "@langchain/core/language_models/chat_models",
    note: "the chat model base every LangChain chat model extends",
  },
];

/** Runs the benchmark and returns its result for the report. */
export async function run({ runs = 11 } = {}) {
  const commands = [
    { label: "node -e 0", args: ["-e", "0"] },
    // Dynamic import from a CommonJS -e script; node waits for it before exiting. "weft" resolves to
    // this package through its own exports map.
    ...targets.map((t) => ({ label: t.label, args: ["-e", `import(${JSON.stringify(t.specifier)})`], target: t })),
  ];
  const [baseline, ...timed] = timeSpawns(commands, { runs });
  const extra = (r) => r.medianMs - baseline.medianMs;
  const weftExtra = extra(timed[0]);
  const rows = [
    ["`node -e 0`", "—", formatNumber(baseline.medianMs), "—", formatSpread(baseline.samples), "—"],
    ...timed.map((r) => [
      r.label,
      `\`import("${r.target.specifier}")\``,
      formatNumber(r.medianMs),
      `+${formatNumber(extra(r))}`,
      formatSpread(r.samples),
      formatRatio(extra(r), weftExtra),
    ]),
  ];
  return {
    id: "import-cost",
    title: "Import cost",
    method: `Wall time from spawning \`node -e 'import("<package>")'\` until the process exits, in a fresh process each time (so nothing is cached in memory; the OS file cache is warm after one untimed run). The commands run interleaved, ${runs} times each; the figure is the median. "Above node" subtracts the median of \`node -e 0\`.`,
    columns: ["library", "import", "ms (median)", "ms above node", "ms p25–p75", "vs weft (above node)"],
    rows,
    notes: targets.map((t) => `${t.label}: ${t.note}.`),
    command: "node bench/import-cost.js",
  };
}

if (isMain(import.meta.url)) console.log(renderResult(await run()));
