// Per-call overhead of one text call on a zero-latency mock model: what the library itself costs.
import { fileURLToPath } from "node:url";
import { contestMain, contestRows, runCompetitors } from "./lib/contest.js";

const file = fileURLToPath(import.meta.url);
const PROMPT = "Say ok.";

const competitors = {
  weft: {
    label: "weft",
    code: '`generateText({ model, prompt })` on `createMockLanguageModel({ reply: "ok" })`',
    async setup() {
      const { generateText } = await import("../dist/index.js");
      const { createMockLanguageModel } = await import("../dist/testing/index.js");
      const model = createMockLanguageModel({ reply: "ok" });
      const call = () => {
        model.calls.length = 0;
        return generateText({ model, prompt: PROMPT });
      };
      return { call, check: async () => (await call()).text };
    },
  },
  ai: {
    label: "Vercel AI SDK",
    code: "`generateText({ model, prompt })` on `MockLanguageModelV3` (`ai/test`)",
    async setup() {
      const { generateText } = await import("ai");
      const { MockLanguageModelV3 } = await import("ai/test");
      const model = new MockLanguageModelV3({
        doGenerate: async () => ({
          content: [{ type: "text", text: "ok" }],
          finishReason: { unified: "stop", raw: "stop" },
          usage: {
            inputTokens: { total: 2, noCache: 2, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: 1, text: 1, reasoning: undefined },
          },
          warnings: [],
        }),
      });
      const call = () => {
        model.doGenerateCalls.length = 0;
        return generateText({ model, prompt: PROMPT });
      };
      return { call, check: async () => (await call()).text };
    },
  },
  langchain: {
    label: "LangChain",
    code: '`model.invoke(prompt)` on `FakeListChatModel({ responses: ["ok"] })` (`@langchain/core/utils/testing`)',
    async setup() {
      const { FakeListChatModel } = await import("@langchain/core/utils/testing");
      const model = new FakeListChatModel({ responses: ["ok"] });
      const call = () => model.invoke(PROMPT);
      return { call, check: async () => (await call()).content };
    },
  },
  bare: {
    label: "bare async function",
    code: '`async (prompt) => ({ text: "ok" })`',
    async setup() {
      const model = async (prompt) => ({ text: "ok", prompt });
      const call = () => model(PROMPT);
      return { call, check: async () => (await call()).text };
    },
  },
};

/** Runs the benchmark and returns its result for the report. */
export async function run({ passes = 2, rounds = 5 } = {}) {
  const names = Object.keys(competitors);
  const pooled = runCompetitors(file, names, { passes, rounds });
  const rows = contestRows(competitors, pooled, { derived: (us) => 1e6 / us });
  return {
    id: "call-overhead",
    title: "Per-call overhead of a text call on a zero-latency mock model",
    method: `One call after another (awaited) with the prompt ${JSON.stringify(PROMPT)}; the mock answers "ok" at once, so the time is the library's own work. Each library runs in its own fresh process, ${passes} passes in turn, ${rounds} timed batches of about 200 ms per pass after a warm-up of at least 1 s and 5,000 calls (until two batches agree within 10 %, at most 6 s); the figure is the median over the ${passes * rounds} batches.`,
    columns: ["library", "call", "µs/call (median)", "calls/s", "µs p25–p75", "vs weft", "reply"],
    rows,
    notes: [
      "\"vs weft\" is the library's time divided by weft's: below 1× is faster than weft.",
      "The weft and AI SDK mocks record every call for tests to inspect; each call here first empties that log, so it does not grow the heap and slow the garbage collector.",
    ],
    command: "node bench/call-overhead.js",
  };
}

await contestMain(import.meta.url, competitors, run);
