// What the template interpreter itself costs: a program's gens against the same calls made directly,
// and a program without model calls against Handlebars rendering the same template.
import { fileURLToPath } from "node:url";
import { contestMain, runCompetitors } from "./lib/contest.js";
import { formatNumber, formatRatio, formatSpread } from "./lib/stats.js";

const file = fileURLToPath(import.meta.url);

const GEN_PROGRAM = "Question: {{question}}\nAnswer:{{gen 'answer' max_tokens=5}}\nWhy:{{gen 'why'}}\n";
const GEN_VARIABLES = { question: "What is 2+2?" };
const GENS = 2;
// runProgram's defaults for gen without max_tokens / temperature.
const DEFAULT_MAX_TOKENS = 500;

const RENDER_PROGRAM = `{{! an order summary }}
Hello {{user.name}}, your order of {{count}} items:
{{#each items}}
- {{this.name}} x{{this.qty}}: {{this.price}} EUR{{#if this.sale}} (on sale){{/if}}
{{/each}}
{{#if user.vip~}}
  Thanks for being a member since {{user.since}}.
{{~else~}}
  Join the club.
{{~/if}}

Ship to: {{user.address.city}}, {{user.address.country}}.
`;
const RENDER_VARIABLES = {
  user: { name: "Ada", vip: true, since: 2019, address: { city: "Lyon", country: "France" } },
  count: 4,
  items: [
    { name: "tea", qty: 2, price: 4.5, sale: true },
    { name: "mug", qty: 1, price: 9, sale: false },
    { name: "spoon", qty: 3, price: 1.2 },
    { name: "pot", qty: 1, price: 25, sale: true },
  ],
};

async function mockModel() {
  const { createMockLanguageModel } = await import("../dist/testing/index.js");
  return createMockLanguageModel({ reply: "ok" });
}

/** One run's values plus what reached the model, so the parent can show both runners did the same calls. */
async function checkGens(model, call) {
  const values = await call();
  const sent = model.calls.map((c) => ({ rawPrompt: c.rawPrompt, maxTokens: c.maxTokens, temperature: c.temperature }));
  return { values, sent };
}

const competitors = {
  program: {
    label: "weft program, 2 gens",
    code: "`runProgram(compiled, { model, variables })`",
    async setup() {
      const { compileProgram, runProgram } = await import("../dist/index.js");
      const model = await mockModel();
      const compiled = compileProgram(GEN_PROGRAM);
      const call = async () => {
        model.calls.length = 0;
        const r = await runProgram(compiled, { model, variables: GEN_VARIABLES });
        return { answer: r.variables.answer, why: r.variables.why };
      };
      return { call, check: () => checkGens(model, call) };
    },
  },
  direct: {
    label: "2 direct `generateText` calls",
    code: "`generateText({ model, rawPrompt, maxTokens, temperature: 0 })` twice, the second prompt built from the first reply",
    async setup() {
      const { generateText } = await import("../dist/index.js");
      const model = await mockModel();
      const call = async () => {
        model.calls.length = 0;
        const first = `Question: ${GEN_VARIABLES.question}\nAnswer:`;
        const answer = await generateText({ model, rawPrompt: first, maxTokens: 5, temperature: 0 });
        const why = await generateText({
          model,
          rawPrompt: `${first}${answer.text}\nWhy:`,
          maxTokens: DEFAULT_MAX_TOKENS,
          temperature: 0,
        });
        return { answer: answer.text, why: why.text };
      };
      return { call, check: () => checkGens(model, call) };
    },
  },
  render: {
    label: "weft program, no model calls",
    code: "`runProgram(compiled, { variables })`",
    async setup() {
      const { compileProgram, runProgram } = await import("../dist/index.js");
      const compiled = compileProgram(RENDER_PROGRAM);
      const call = async () => (await runProgram(compiled, { variables: RENDER_VARIABLES })).transcript;
      return { call, check: call };
    },
  },
  handlebars: {
    label: "Handlebars",
    code: "`template(vars)`, `template = Handlebars.compile(text, { noEscape: true })` once",
    async setup() {
      const { default: Handlebars } = await import("handlebars");
      const template = Handlebars.compile(RENDER_PROGRAM, { noEscape: true });
      const call = async () => template(RENDER_VARIABLES);
      return { call, check: call };
    },
  },
  renderText: {
    label: "weft program from text, no model calls",
    code: "`runProgram(text, { variables })` (parses on every run)",
    async setup() {
      const { runProgram } = await import("../dist/index.js");
      const call = async () => (await runProgram(RENDER_PROGRAM, { variables: RENDER_VARIABLES })).transcript;
      return { call, check: call };
    },
  },
  handlebarsText: {
    label: "Handlebars from text",
    code: "`Handlebars.compile(text, { noEscape: true })(vars)` (parses and compiles on every run)",
    async setup() {
      const { default: Handlebars } = await import("handlebars");
      const call = async () => Handlebars.compile(RENDER_PROGRAM, { noEscape: true })(RENDER_VARIABLES);
      return { call, check: call };
    },
  },
};

// Each weft row is compared with the row that does the same work without weft's interpreter.
const pairs = [
  ["program", "direct"],
  ["render", "handlebars"],
  ["renderText", "handlebarsText"],
];

/** Runs the benchmark and returns its result for the report. */
export async function run({ passes = 2, rounds = 5 } = {}) {
  const names = pairs.flat();
  const pooled = runCompetitors(file, names, { passes, rounds });
  const rows = [];
  for (const [weft, reference] of pairs) {
    for (const name of [weft, reference]) {
      const { samples, medianUs } = pooled[name];
      const gens = name === "program" || name === "direct";
      rows.push([
        competitors[name].label,
        competitors[name].code,
        formatNumber(medianUs),
        formatSpread(samples),
        gens ? formatNumber(medianUs / GENS) : "—",
        formatRatio(medianUs, pooled[reference].medianUs),
      ]);
    }
  }
  const us = (name) => pooled[name].medianUs;
  const perGen = (us("program") - us("direct")) / GENS;
  const genCheck = (name) => JSON.stringify(pooled[name].check);
  const sameGen = genCheck("program") === genCheck("direct");
  const sameText =
    pooled.render.check === pooled.handlebars.check && pooled.renderText.check === pooled.handlebarsText.check;
  const notes = [
    `The interpreter's own cost per gen: ${formatNumber(perGen)} µs ((program − direct calls) / ${GENS}); it covers rendering the text around the gens, building each prompt from the transcript, recording the calls, usage and cost, and assembling the result.`,
    sameGen
      ? `Both gen runners send the mock the same ${GENS} calls (raw prompt, max tokens, temperature) and get ${JSON.stringify(pooled.program.check.values)}.`
      : `The gen runners' calls DIFFER, so the gen rows do not compare like with like: ${genCheck("program")} vs ${genCheck("direct")}.`,
    sameText
      ? `weft and Handlebars render the same ${pooled.render.check.length}-character text.`
      : "weft and Handlebars render DIFFERENT texts: the rendering rows do not compare like with like.",
    `Pure rendering costs weft ${formatNumber(us("render") - us("handlebars"))} µs per run more than Handlebars' compiled function: weft walks the parsed template asynchronously (helpers and model calls may be async), copies the input variables and returns a transcript with segments; Handlebars runs a JavaScript function generated from the template.`,
    '"vs reference" is the row\'s time divided by the time of the row it is paired with (the weft row and the row after it): 1× means no difference.',
  ];
  return {
    id: "programs-overhead",
    title: "Template programs: interpreter overhead on a zero-latency mock model",
    method: `A program with ${GENS} gens, ${JSON.stringify(GEN_PROGRAM)}, against the same ${GENS} \`generateText\` calls made directly on the same mock (\`createMockLanguageModel({ reply: "ok" })\`, which answers at once); and a ${RENDER_PROGRAM.split("\n").length - 1}-line program with no model calls (comment, dotted paths, \`#each\` over 4 items, \`#if\`/\`else\`, \`~\`) against Handlebars rendering the same template. One run after another (awaited). Each runner runs in its own fresh process, ${passes} passes in turn, ${rounds} timed batches of about 200 ms per pass after a warm-up of at least 1 s and 5,000 runs (until two batches agree within 10 %, at most 6 s); the figure is the median over the ${passes * rounds} batches.`,
    columns: ["runner", "code", "µs per run (median)", "µs p25–p75", "µs per gen", "vs reference"],
    rows,
    notes,
    command: "node bench/programs-overhead.js",
  };
}

await contestMain(import.meta.url, competitors, run);
