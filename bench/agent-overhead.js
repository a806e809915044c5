// Per-step overhead of a tool-calling agent loop on a zero-latency mock model: what the loop costs.
import { fileURLToPath } from "node:url";
import { contestMain, contestRows, runCompetitors } from "./lib/contest.js";

const file = fileURLToPath(import.meta.url);
const PROMPT = "Add 1 three times, starting from 0.";
// Each run: TOOL_STEPS model calls asking for `add`, then one that answers: TOOL_STEPS + 1 steps.
const TOOL_STEPS = 3;
const STEPS = TOOL_STEPS + 1;

/** The scripted model's decision, shared by every competitor: call add until 3 results are in, then answer. */
const next = (results) => (results.length < TOOL_STEPS ? { a: results.at(-1) ?? 0, b: 1 } : null);

const competitors = {
  weft: {
    label: "weft",
    code: "`runAgent({ model, tools: [add], prompt })` on `createMockLanguageModel({ reply })`",
    async setup() {
      const { runAgent, tool } = await import("../dist/index.js");
      const { createMockLanguageModel } = await import("../dist/testing/index.js");
      const { z } = await import("zod");
      const add = tool({
        name: "add",
        description: "Adds two numbers.",
        inputSchema: z.object({ a: z.number(), b: z.number() }),
        execute: ({ a, b }) => a + b,
      });
      const model = createMockLanguageModel({
        reply: ({ messages }) => {
          const results = messages.flatMap((m) => (m.role === "tool" ? m.content.map((p) => p.output) : []));
          const input = next(results);
          if (!input) return `The result is ${results.at(-1)}.`;
          return {
            choices: [
              {
                text: "",
                toolCalls: [{ toolCallId: `c${results.length}`, toolName: "add", input }],
                finishReason: "tool-calls",
              },
            ],
            usage: { inputTokens: 10, outputTokens: 5 },
          };
        },
      });
      const call = async () => {
        model.calls.length = 0;
        const r = await runAgent({ model, tools: [add], prompt: PROMPT });
        return { answer: r.answer, steps: r.steps.length, modelCalls: r.modelCalls };
      };
      return { call, check: call };
    },
  },
  ai: {
    label: "Vercel AI SDK",
    code: "`generateText({ model, tools: { add }, stopWhen: stepCountIs(10), prompt })` on `MockLanguageModelV3` (`ai/test`)",
    async setup() {
      const { generateText, stepCountIs, tool } = await import("ai");
      const { MockLanguageModelV3 } = await import("ai/test");
      const { z } = await import("zod");
      const add = tool({
        description: "Adds two numbers.",
        inputSchema: z.object({ a: z.number(), b: z.number() }),
        execute: async ({ a, b }) => a + b,
      });
      const usage = {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 5, text: 5, reasoning: undefined },
      };
      const model = new MockLanguageModelV3({
        doGenerate: async ({ prompt }) => {
          const results = prompt.flatMap((m) =>
            m.role === "tool" ? m.content.filter((p) => p.type === "tool-result").map((p) => p.output.value) : [],
          );
          const input = next(results);
          if (!input) {
            return {
              content: [{ type: "text", text: `The result is ${results.at(-1)}.` }],
              finishReason: { unified: "stop", raw: "stop" },
              usage,
              warnings: [],
            };
          }
          return {
            content: [
              { type: "tool-call", toolCallId: `c${results.length}`, toolName: "add", input: JSON.stringify(input) },
            ],
            finishReason: { unified: "tool-calls", raw: "tool_calls" },
            usage,
            warnings: [],
          };
        },
      });
      const call = async () => {
        model.doGenerateCalls.length = 0;
        const r = await generateText({ model, tools: { add }, stopWhen: stepCountIs(10), prompt: PROMPT });
        return { answer: r.text, steps: r.steps.flatMap((s) => s.toolCalls).length, modelCalls: r.steps.length };
      };
      return { call, check: call };
    },
  },
  langchain: {
    label: "LangChain (hand loop)",
    code: "`model.bindTools([add]).invoke(messages)`, then `add.invoke(toolCall)` per call, in a loop; a `BaseChatModel` subclass scripts the replies",
    async setup() {
      const { BaseChatModel } = await import("@langchain/core/language_models/chat_models");
      const { AIMessage, HumanMessage } = await import("@langchain/core/messages");
      const { tool } = await import("@langchain/core/tools");
      const { z } = await import("zod");
      const add = tool(async ({ a, b }) => String(a + b), {
        name: "add",
        description: "Adds two numbers.",
        schema: z.object({ a: z.number(), b: z.number() }),
      });
      class ScriptedChatModel extends BaseChatModel {
        _llmType() {
          return "scripted";
        }
        bindTools(tools) {
          return this.withConfig({ tools });
        }
        async _generate(messages) {
          const results = messages.filter((m) => m.getType() === "tool").map((m) => Number(m.content));
          const input = next(results);
          const message = input
            ? new AIMessage({
                content: "",
                tool_calls: [{ id: `c${results.length}`, name: "add", args: input, type: "tool_call" }],
              })
            : new AIMessage(`The result is ${results.at(-1)}.`);
          return { generations: [{ text: typeof message.content === "string" ? message.content : "", message }] };
        }
      }
      const model = new ScriptedChatModel({}).bindTools([add]);
      const call = async () => {
        const messages = [new HumanMessage(PROMPT)];
        let steps = 0;
        let modelCalls = 0;
        for (let i = 0; i < 10; i++) {
          const reply = await model.invoke(messages);
          modelCalls++;
          messages.push(reply);
          if (!reply.tool_calls?.length) return { answer: reply.content, steps, modelCalls };
          for (const toolCall of reply.tool_calls) {
            messages.push(await add.invoke(toolCall));
            steps++;
          }
        }
        return { answer: null, steps, modelCalls };
      };
      return { call, check: call };
    },
  },
  bare: {
    label: "bare loop",
    code: "an async model function and a plain `for` loop calling the tool function directly",
    async setup() {
      const model = async (results) => {
        const input = next(results);
        return input ? { toolCalls: [{ toolName: "add", input }] } : { text: `The result is ${results.at(-1)}.` };
      };
      const tools = { add: async ({ a, b }) => a + b };
      const call = async () => {
        const results = [];
        for (let i = 0; i < 10; i++) {
          const reply = await model(results);
          if (!reply.toolCalls) return { answer: reply.text, steps: results.length, modelCalls: i + 1 };
          for (const c of reply.toolCalls) results.push(await tools[c.toolName](c.input));
        }
        return { answer: null };
      };
      return { call, check: call };
    },
  },
};

/** Runs the benchmark and returns its result for the report. */
export async function run({ passes = 2, rounds = 5 } = {}) {
  const names = Object.keys(competitors);
  const pooled = runCompetitors(file, names, { passes, rounds });
  const rows = contestRows(competitors, pooled, { derived: (us) => us / STEPS });
  return {
    id: "agent-overhead",
    title: "Per-step overhead of a tool-calling agent loop on a zero-latency mock model",
    method: `One agent run after another (awaited) for ${JSON.stringify(PROMPT)}: the scripted mock asks for the \`add\` tool (zod-validated arguments) ${TOOL_STEPS} times, each time from the previous result, then answers, so a run is ${STEPS} model calls and ${TOOL_STEPS} tool calls and the time is the loop's own work. Each library runs in its own fresh process, ${passes} passes in turn, ${rounds} timed batches of about 200 ms per pass after a warm-up of at least 1 s and 5,000 runs (until two batches agree within 10 %, at most 6 s); the figure is the median over the ${passes * rounds} batches. µs/step is µs/run divided by ${STEPS}.`,
    columns: ["library", "loop", "µs/run (median)", "µs/step", "µs p25–p75", "vs weft", "result"],
    rows,
    notes: [
      "\"vs weft\" is the library's time divided by weft's: below 1× is faster than weft.",
      "LangChain has no agent loop in @langchain/core (agents live in langgraph, not installed), so its row is the loop one writes by hand around `bindTools` and tool `invoke`, the way its documentation shows.",
      "weft's run includes per-step usage and cost accounting, argument validation, ordered result events and the abort/time-limit plumbing; the bare loop has none of that.",
    ],
    command: "node bench/agent-overhead.js",
  };
}

await contestMain(import.meta.url, competitors, run);
