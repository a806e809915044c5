// `select` on the local GGUF model: a weft program against the same choice made with node-llama-cpp directly.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMain, reply, repoRoot, runWorker } from "./lib/process.js";
import { formatNumber, formatRatio, formatSpread, median, quantile } from "./lib/stats.js";
import { renderResult } from "./lib/table.js";

const file = fileURLToPath(import.meta.url);
const MODEL_PATH = path.resolve(repoRoot, "examples/models/stories260K.gguf");
const PROMPT = "Once upon a time, there was a little";
const OPTIONS = [" girl", " boy", " dog", " cat"];
const PROGRAM = `${PROMPT}{{#select 'who'}}${OPTIONS.join("{{or}}")}{{/select}}`;
// weft's default for this model: its training context (2048), capped at 4096.
const CONTEXT_SIZE = 2048;
const WEFT_LOCAL = new URL("../dist/models/local/index.js", import.meta.url);

/**
 * node-llama-cpp alone: each option's tokens are evaluated after the prompt with the next-token
 * distribution requested, and their log probabilities summed. The prompt stays in the KV cache;
 * each option's tokens are erased after scoring.
 */
async function openRaw() {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    maxThreads: 1,
    logLevel: LlamaLogLevel.error,
  });
  const model = await llama.loadModel({ modelPath: MODEL_PATH });
  const context = await model.createContext({ contextSize: CONTEXT_SIZE, sequences: 1 });
  const sequence = context.getSequence();
  const bos = model.tokens.bos;

  const select = async () => {
    const promptTokens = model.tokenize(PROMPT);
    const all = bos == null ? promptTokens : [bos, ...promptTokens];
    // The last prompt token is evaluated with each option, so that its output is the first option token's distribution.
    const cached = all.slice(0, -1);
    const last = all[all.length - 1];
    const held = sequence.contextTokens;
    if (held.length !== cached.length || held.some((token, i) => token !== cached[i])) {
      await sequence.clearHistory();
      await sequence.evaluateWithoutGeneratingNewTokens(cached);
    }
    const logprobs = [];
    let evaluated = 0;
    for (const option of OPTIONS) {
      const whole = model.tokenize(PROMPT + option);
      if (promptTokens.some((token, i) => whole[i] !== token)) {
        throw new Error(`${JSON.stringify(option)} merges with the prompt's last token; this scorer cannot split it`);
      }
      const optionTokens = whole.slice(promptTokens.length);
      const inputs = [last, ...optionTokens.slice(0, -1)];
      evaluated += inputs.length;
      const outputs = await sequence.controlledEvaluate(
        inputs.map((token) => [token, { generateNext: { probabilities: true } }]),
      );
      let logprob = 0;
      optionTokens.forEach((token, i) => {
        logprob += Math.log(outputs[i]?.next.probabilities?.get(token) ?? 0);
      });
      logprobs.push(logprob);
      await sequence.eraseContextTokenRanges([{ start: cached.length, end: sequence.nextTokenIndex }]);
    }
    const index = logprobs.indexOf(Math.max(...logprobs));
    return { option: OPTIONS[index], logprobs, evaluated };
  };
  return { select, dispose: () => llama.dispose() };
}

async function openWeftLocal() {
  const { createLocal } = await import(WEFT_LOCAL.href);
  const local = createLocal({ threads: 1, contextSize: CONTEXT_SIZE, gpu: false });
  return { local, model: local.languageModel(MODEL_PATH) };
}

/** `selectOption`: weft's choice without the template interpreter. */
async function openSelectOption() {
  const { selectOption } = await import("../dist/index.js");
  const { local, model } = await openWeftLocal();
  const select = async () => {
    const r = await selectOption({ model, rawPrompt: PROMPT, options: OPTIONS, maxRetries: 0 });
    return { option: r.option, logprobs: r.logprobs };
  };
  return { select, dispose: () => local.dispose() };
}

async function openProgram() {
  const { compileProgram, runProgram } = await import("../dist/index.js");
  const { local, model } = await openWeftLocal();
  const compiled = compileProgram(PROGRAM);
  const select = async () => {
    const r = await runProgram(compiled, { model, maxRetries: 0 });
    return { option: r.variables.who, logprobs: OPTIONS.map((o) => r.logprobs.who[o]), method: r.calls[0].method };
  };
  return { select, dispose: () => local.dispose() };
}

const openers = { raw: openRaw, selectOption: openSelectOption, program: openProgram };

async function timeBatch(select, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await select();
  return Number(process.hrtime.bigint() - start) / 1e6 / count;
}

/**
 * All runners loaded in one process; after a warm-up, `rounds` rounds each time one batch per
 * runner, the order rotating every round so that load from elsewhere on the machine hits each alike.
 */
async function paired(rounds, warmupMs, batchMs, names) {
  const runners = [];
  for (const name of names) runners.push({ name, ...(await openers[name]()) });
  const out = {};
  for (const r of runners) {
    out[r.name] = { result: await r.select(), msPerSelect: [] };
    const start = performance.now();
    let calls = 0;
    while (performance.now() - start < warmupMs) {
      await r.select();
      calls++;
    }
    r.batch = Math.max(1, Math.round((batchMs * calls) / (performance.now() - start)));
  }
  for (let i = 0; i < rounds; i++) {
    const shift = i % runners.length;
    for (const r of [...runners.slice(shift), ...runners.slice(0, shift)]) {
      out[r.name].msPerSelect.push(await timeBatch(r.select, r.batch));
    }
  }
  for (const r of runners) {
    out[r.name].batch = r.batch;
    await r.dispose();
  }
  return out;
}

const labels = {
  raw: [
    "node-llama-cpp directly",
    "tokenize, `sequence.controlledEvaluate(tokens with probabilities)` per option, sum",
  ],
  selectOption: ["weft `selectOption`", "`selectOption({ model, rawPrompt, options })`"],
  program: ["weft program", "`runProgram(compileProgram(program), { model })`"],
};

const formatLogprobs = (logprobs) =>
  OPTIONS.map((o, i) => `${o.trim()} ${logprobs[i] == null ? "—" : logprobs[i].toFixed(3)}`).join(", ");

/** Runs the benchmark and returns its result for the report. */
export async function run({ rounds = 15, warmupMs = 1000, batchMs = 150 } = {}) {
  const base = {
    id: "programs-select",
    title: "Template programs: `select` on the local model vs node-llama-cpp directly",
    command: "node bench/programs-select.js",
  };
  if (!existsSync(MODEL_PATH)) return { ...base, skipped: `${MODEL_PATH} is missing.` };
  const weftAvailable = existsSync(fileURLToPath(WEFT_LOCAL));
  const names = weftAvailable ? ["raw", "selectOption", "program"] : ["raw"];
  const out = runWorker(file, [String(rounds), String(warmupMs), String(batchMs), ...names]);
  const rawMs = median(out.raw.msPerSelect);
  const rows = names.map((name) => {
    const e = out[name];
    return [
      labels[name][0],
      labels[name][1],
      formatNumber(median(e.msPerSelect)),
      formatSpread(e.msPerSelect),
      formatRatio(median(e.msPerSelect), rawMs),
      JSON.stringify(e.result.option),
      formatLogprobs(e.result.logprobs),
    ];
  });
  const notes = [];
  if (weftAvailable) {
    const same = names.every((n) => out[n].result.option === out.raw.result.option);
    const gap = Math.max(
      ...names.flatMap((n) => out[n].result.logprobs.map((lp, i) => Math.abs(lp - out.raw.result.logprobs[i]))),
    );
    const agreement =
      gap === 0 ? "identical log probabilities" : `log probabilities that differ by at most ${gap.toExponential(1)}`;
    const extra = (name) => {
      const ms = median(out[name].msPerSelect);
      const within = ms <= quantile(out.raw.msPerSelect, 0.75);
      return `${formatNumber(ms - rawMs)} ms for ${name === "program" ? "the program (interpreter included)" : "`selectOption`"}${within ? " (inside the raw runner's p25–p75 spread)" : ""}`;
    };
    notes.push(
      same
        ? `All runners choose ${JSON.stringify(out.raw.result.option)}, with ${agreement}. The program's select used weft's \`${out.program.result.method}\` method.`
        : `The runners choose DIFFERENT options (${names.map((n) => `${n}: ${JSON.stringify(out[n].result.option)}`).join(", ")}).`,
      `Per-select cost of weft over node-llama-cpp: ${extra("selectOption")}; ${extra("program")}.`,
    );
  } else {
    notes.push(`weft's local provider is not built (${fileURLToPath(WEFT_LOCAL)} is missing): raw figures only.`);
  }
  notes.push(
    `Both sides keep the prompt in the KV cache between selects, so a select in this loop evaluates only the last prompt token and each option's tokens but its last (${out.raw.result.evaluated} tokens for these options); the first select of a new prompt also evaluates the prompt.`,
    '"vs raw" is ms per select divided by node-llama-cpp\'s: 1× means weft adds nothing measurable.',
  );
  return {
    ...base,
    method: `The program ${JSON.stringify(PROGRAM)} on stories260K.gguf (examples/models), \`createLocal({ threads: 1 })\`, against plain node-llama-cpp (\`getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 })\`, model and context of ${CONTEXT_SIZE} tokens loaded once) scoring each option by the sum of its tokens' log probabilities after the prompt and taking the best; \`selectOption\` is weft's select without the interpreter. All runners are loaded in one process; each is warmed up for ${formatNumber(warmupMs / 1000)} s, then ${rounds} rounds each time one batch of about ${batchMs} ms per runner, the order rotating every round. The figure is the median over the rounds of ms per select.`,
    columns: ["runner", "call", "ms per select (median)", "ms p25–p75", "vs raw", "choice", "log probabilities"],
    rows,
    notes,
  };
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === "--worker") {
    const [rounds, warmupMs, batchMs, ...names] = process.argv.slice(3);
    reply(await paired(Number(rounds), Number(warmupMs), Number(batchMs), names));
  } else {
    console.log(renderResult(await run()));
  }
}
