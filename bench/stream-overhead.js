// Streaming a 50-chunk reply from a zero-latency mock model and reading it to the end.
import { fileURLToPath } from "node:url";
import { contestMain, contestRows, runCompetitors } from "./lib/contest.js";

const file = fileURLToPath(import.meta.url);
// Each stream makes 50 passes through the chunk path, so fewer calls warm it up.
const WARMUP_STREAMS = 500;
const PROMPT = "Tell me a story.";
const CHUNKS = 50;
// 50 characters, streamed one character per chunk by every competitor.
const REPLY = "Once upon a time a fox met a crow under an oak tree".slice(0, CHUNKS);

const competitors = {
  weft: {
    label: "weft",
    code: "`streamText({ model, prompt })`: read `textStream`, then `await done`; mock with `chunkSize: 1`",
    async setup() {
      const { streamText } = await import("../dist/index.js");
      const { createMockLanguageModel } = await import("../dist/testing/index.js");
      const model = createMockLanguageModel({ reply: REPLY, chunkSize: 1 });
      const call = async () => {
        model.calls.length = 0;
        const result = streamText({ model, prompt: PROMPT });
        let text = "";
        let chunks = 0;
        for await (const delta of result.textStream) {
          text += delta;
          chunks++;
        }
        await result.done;
        return { text, chunks };
      };
      return { call, check: call };
    },
  },
  ai: {
    label: "Vercel AI SDK",
    code: "`streamText({ model, prompt })`: read `textStream`, then `await text`; `MockLanguageModelV3` + `simulateReadableStream` (no delays)",
    async setup() {
      const { streamText, simulateReadableStream } = await import("ai");
      const { MockLanguageModelV3 } = await import("ai/test");
      const parts = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: "t0" },
        ...[...REPLY].map((delta) => ({ type: "text-delta", id: "t0", delta })),
        { type: "text-end", id: "t0" },
        {
          type: "finish",
          finishReason: { unified: "stop", raw: "stop" },
          usage: {
            inputTokens: { total: 4, noCache: 4, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: CHUNKS, text: CHUNKS, reasoning: undefined },
          },
        },
      ];
      const model = new MockLanguageModelV3({
        doStream: async () => ({
          // null delays: the helper's default of 0 ms would still wait one timer turn per chunk.
          stream: simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null }),
        }),
      });
      const call = async () => {
        model.doStreamCalls.length = 0;
        const result = streamText({ model, prompt: PROMPT });
        let text = "";
        let chunks = 0;
        for await (const delta of result.textStream) {
          text += delta;
          chunks++;
        }
        await result.text;
        return { text, chunks };
      };
      return { call, check: call };
    },
  },
  langchain: {
    label: "LangChain",
    code: "`for await (const chunk of await model.stream(prompt))` on `FakeListChatModel` (one character per chunk)",
    async setup() {
      const { FakeListChatModel } = await import("@langchain/core/utils/testing");
      const model = new FakeListChatModel({ responses: [REPLY] });
      const call = async () => {
        let text = "";
        let chunks = 0;
        for await (const chunk of await model.stream(PROMPT)) {
          text += chunk.content;
          chunks++;
        }
        return { text, chunks };
      };
      return { call, check: call };
    },
  },
  bare: {
    label: "bare async generator",
    code: "`async function*` yielding 50 strings, read with `for await`",
    async setup() {
      async function* model() {
        for (const delta of REPLY) yield delta;
      }
      const call = async () => {
        let text = "";
        let chunks = 0;
        for await (const delta of model(PROMPT)) {
          text += delta;
          chunks++;
        }
        return { text, chunks };
      };
      return { call, check: call };
    },
  },
};

/** Runs the benchmark and returns its result for the report. */
export async function run({ passes = 2, rounds = 5 } = {}) {
  const names = Object.keys(competitors);
  const pooled = runCompetitors(file, names, { passes, rounds });
  const rows = contestRows(competitors, pooled, {
    derived: (us) => us / CHUNKS,
    shown: (check) => String(check?.chunks),
  });
  const wrong = names.filter((n) => pooled[n].check?.text !== REPLY || pooled[n].check?.chunks !== CHUNKS);
  return {
    id: "stream-overhead",
    title: "Streaming a 50-chunk reply",
    method: `One stream after another, each read to the end; the mock yields the ${CHUNKS}-character reply one character per chunk with no delay, so the time is the library's own work. Each library runs in its own fresh process, ${passes} passes in turn, ${rounds} timed batches of about 200 ms per pass after a warm-up of at least 1 s and ${WARMUP_STREAMS} streams (until two batches agree within 10 %, at most 6 s); the figure is the median over the ${passes * rounds} batches.`,
    columns: ["library", "call", "µs/stream (median)", "µs/chunk", "µs p25–p75", "vs weft", "chunks read"],
    rows,
    notes: [
      "\"vs weft\" is the library's time divided by weft's: below 1× is faster than weft.",
      wrong.length
        ? `WARNING: ${wrong.join(", ")} did not read the full reply; their figures are not comparable.`
        : `Every competitor read the same ${CHUNKS} chunks and the full text (checked once outside the timing).`,
    ],
    command: "node bench/stream-overhead.js",
  };
}

await contestMain(import.meta.url, competitors, run, { minWarmupCalls: WARMUP_STREAMS });
