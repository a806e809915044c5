// Local GGUF generation speed: weft's local provider against node-llama-cpp used directly.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMain, reply, repoRoot, runWorker } from "./lib/process.js";
import { formatNumber, formatRatio, formatSpread, median } from "./lib/stats.js";
import { renderResult } from "./lib/table.js";

const file = fileURLToPath(import.meta.url);
const MODEL_PATH = path.resolve(repoRoot, "../shared/models/stories260K.gguf");
const PROMPT = "Once upon a time";
const MAX_TOKENS = 200;
// weft's default for this model: its training context (2048), capped at 4096.
const CONTEXT_SIZE = 2048;
const WEFT_LOCAL = new URL("../dist/models/local/index.js", import.meta.url);

/** node-llama-cpp used as its documentation shows; returns a generator and the cold-start timings. */
async function openRaw() {
  const start = performance.now();
  const { getLlama, LlamaCompletion, LlamaLogLevel } = await import("node-llama-cpp");
  const imported = performance.now();
  const llama = await getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    maxThreads: 1,
    logLevel: LlamaLogLevel.error,
  });
  const ready = performance.now();
  const model = await llama.loadModel({ modelPath: MODEL_PATH });
  const loaded = performance.now();
  const context = await model.createContext({ contextSize: CONTEXT_SIZE, sequences: 1 });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const generate = async (maxTokens = MAX_TOKENS) => {
    let tokens = 0;
    const { response } = await completion.generateCompletionWithMeta(PROMPT, {
      maxTokens,
      temperature: 0,
      // Plain argmax decoding, as weft does at temperature 0 (LlamaCompletion's default adds a repeat penalty).
      repeatPenalty: false,
      onToken: (chunk) => {
        tokens += chunk.length;
      },
    });
    return { text: response, tokens };
  };
  await generate(1);
  return {
    generate,
    coldMs: performance.now() - start,
    parts: { importMs: imported - start, getLlamaMs: ready - imported, loadModelMs: loaded - ready },
    dispose: () => llama.dispose(),
  };
}

/** weft's local provider through generateText; node-llama-cpp is imported on the first call. */
async function openWeft() {
  const { generateText } = await import("../dist/index.js");
  const { createLocal } = await import(WEFT_LOCAL.href);
  const start = performance.now();
  const local = createLocal({ threads: 1, contextSize: CONTEXT_SIZE, gpu: false });
  const model = local.languageModel(MODEL_PATH);
  const generate = async (maxTokens = MAX_TOKENS) => {
    const result = await generateText({ model, rawPrompt: PROMPT, maxTokens, temperature: 0, maxRetries: 0 });
    return { text: result.text, tokens: result.usage.outputTokens };
  };
  await generate(1);
  return { generate, coldMs: performance.now() - start, dispose: () => local.dispose() };
}

const openers = { raw: openRaw, weft: openWeft };

const workers = {
  /** Cold start only, in this fresh process. */
  async cold(name) {
    const { coldMs, parts, dispose } = await openers[name]();
    await dispose();
    return { coldMs, parts };
  },
  /**
   * Throughput of the given runners in one process, calls alternating (order flipped every round)
   * so that load from elsewhere on the machine hits each side alike.
   */
  async paired(rounds, ...names) {
    const runners = [];
    for (const name of names) runners.push({ name, ...(await openers[name]()) });
    const out = {};
    for (const r of runners) {
      const first = await r.generate();
      out[r.name] = { text: first.text, tokens: first.tokens, tokensPerSecond: [], ms: [] };
    }
    for (let i = 0; i < Number(rounds); i++) {
      const order = i % 2 === 0 ? runners : [...runners].reverse();
      for (const r of order) {
        const start = process.hrtime.bigint();
        const { tokens } = await r.generate();
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        out[r.name].ms.push(ms);
        out[r.name].tokensPerSecond.push((tokens / ms) * 1000);
      }
    }
    for (const r of runners) await r.dispose();
    return out;
  },
};

/** Runs the benchmark and returns its result for the report. */
export async function run({ coldRuns = 2, rounds = 30 } = {}) {
  const base = {
    id: "local-tokens",
    title: "Local GGUF generation: weft's local provider vs node-llama-cpp",
    command: "node bench/local-tokens.js",
  };
  if (!existsSync(MODEL_PATH)) {
    return { ...base, skipped: `${MODEL_PATH} is missing (the shared tiny GGUF models are not on this machine).` };
  }
  const weftAvailable = existsSync(fileURLToPath(WEFT_LOCAL));
  const names = weftAvailable ? ["raw", "weft"] : ["raw"];
  const cold = Object.fromEntries(names.map((n) => [n, []]));
  const parts = [];
  for (let p = 0; p < coldRuns; p++) {
    for (const name of names) {
      const r = runWorker(file, ["cold", name]);
      cold[name].push(r.coldMs);
      if (r.parts) parts.push(r.parts);
    }
  }
  const paired = runWorker(file, ["paired", String(rounds), ...names]);
  const rawTps = median(paired.raw.tokensPerSecond);
  const labels = {
    raw: ["node-llama-cpp directly", "`new LlamaCompletion({ contextSequence }).generateCompletionWithMeta(prompt)`"],
    weft: ["weft", "`generateText({ model: createLocal({ threads: 1 }).languageModel(path), rawPrompt })`"],
  };
  const rows = names.map((name) => {
    const e = paired[name];
    return [
      labels[name][0],
      labels[name][1],
      String(e.tokens),
      formatNumber(median(e.tokensPerSecond)),
      formatSpread(e.tokensPerSecond),
      formatNumber(median(e.ms)),
      formatNumber(median(cold[name])),
      formatRatio(median(e.tokensPerSecond), rawTps),
    ];
  });
  const ms = (key) => formatNumber(median(parts.map((x) => x[key])));
  const notes = [
    `Cold start: in a fresh process (median of ${coldRuns}), from importing node-llama-cpp to the first generated token; weft's provider imports it on the first call. Raw breakdown: import ${ms("importMs")} ms, \`getLlama\` ${ms("getLlamaMs")} ms, \`loadModel\` ${ms("loadModelMs")} ms; the rest is the context and one token.`,
  ];
  if (weftAvailable) {
    const raw = paired.raw.text;
    const weft = paired.weft.text;
    let same = 0;
    while (same < raw.length && raw[same] === weft[same]) same++;
    const tokens =
      paired.raw.tokens === paired.weft.tokens ? paired.raw.tokens : `${paired.raw.tokens} and ${paired.weft.tokens}`;
    notes.push(
      raw === weft
        ? `Both produced the same greedy text (${tokens} tokens): ${JSON.stringify(`${raw.slice(0, 70)}…`)}`
        : `Both generated ${tokens} tokens of the same greedy story (${JSON.stringify(`${raw.slice(0, 45)}…`)}) for the first ${same} characters, then the texts part (${raw.length} vs ${weft.length} characters in all): node-llama-cpp turns a string prompt into tokens without the leading space that weft's \`rawPrompt\` tokenization keeps (${JSON.stringify(PROMPT)} is 6 tokens vs 4), so each side continues from slightly different numbers.`,
    );
  } else {
    notes.push(`weft's local provider is not built (${fileURLToPath(WEFT_LOCAL)} is missing): raw figures only.`);
  }
  notes.push('"vs raw" is tokens/s divided by raw node-llama-cpp\'s: 1× means weft adds nothing measurable.');
  return {
    ...base,
    method: `stories260K.gguf (${MODEL_PATH.replace(path.resolve(repoRoot, ".."), "..")}), raw prompt ${JSON.stringify(PROMPT)}, at most ${MAX_TOKENS} tokens, greedy (temperature 0, no repeat penalty), CPU, 1 thread, context ${CONTEXT_SIZE}. Throughput: both runners loaded in one process, one warm-up generation each, then ${rounds} rounds of one generation each, alternating (order flipped every round) so that background load hits both alike. Tokens/s = generated tokens / wall time of the whole call (prompt included).`,
    columns: [
      "runner",
      "call",
      "tokens",
      "tokens/s (median)",
      "tokens/s p25–p75",
      "ms per call",
      "cold start ms",
      "vs raw",
    ],
    rows,
    notes,
  };
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === "--worker") {
    const [kind, ...args] = process.argv.slice(3);
    reply(kind === "cold" ? await workers.cold(args[0]) : await workers.paired(...args));
  } else {
    console.log(renderResult(await run()));
  }
}
