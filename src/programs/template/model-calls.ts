import type { RunOptions } from "../../generate/call-settings.js";
import { generateText } from "../../generate/generate-text.js";
import { streamText } from "../../generate/stream-text.js";
import { addUsage } from "../../generate/usage.js";
import type { LanguageModel, Message, Usage } from "../../spec/language-model.js";
import { generateWithPattern } from "../pattern.js";
import { selectOption } from "../select.js";
import type { ModelInput } from "./transcript.js";

/** One model call a program made. */
export interface ProgramCall {
  kind: "gen" | "select";
  /** The variable it set (`geneach 'items'` continuation checks are named `items`). */
  name: string;
  /**
   * How the value was produced: `generate` or `stream` for plain gen, `grammar` or `validate-retry`
   * for gen with a pattern, and for select the method the model supports (`score`, `logprobs`,
   * `json-schema-enum`, `grammar`, `prompt`).
   */
  method: string;
  usage: Usage;
  costUsd: number | null;
  /** Served from the result cache (cost 0). */
  cached?: boolean;
  /** 1-based line of the tag in its program. */
  line: number;
}

export interface GenRequest {
  name: string;
  line: number;
  input: ModelInput;
  maxTokens: number;
  temperature: number;
  stop?: string[];
  n: number;
  pattern?: string;
  /** Receives text as it is generated; only used for a single streamed choice without pattern. */
  onDelta?: (delta: string) => void;
}

export interface SelectRequest {
  name: string;
  line: number;
  input: ModelInput;
  options: string[];
  temperature?: number;
}

export interface ModelCaller {
  gen(request: GenRequest): Promise<string[]>;
  select(request: SelectRequest): Promise<{ index: number; option: string; logprobs: Array<number | null> }>;
  readonly calls: ProgramCall[];
  usage(): Usage;
  costUsd(): number | null;
}

/** Raw text goes to raw-completion models as is; chat-only models get it as one user message. */
function promptOf(model: LanguageModel, input: ModelInput): { rawPrompt: string } | { messages: Message[] } {
  if (input.mode === "chat") return { messages: input.messages };
  if (model.capabilities.rawCompletion) return { rawPrompt: input.text };
  return { messages: [{ role: "user", content: input.text }] };
}

/**
 * Makes the model calls of one program run and keeps their usage and cost.
 *
 * @example
 * const caller = createModelCaller(model, { maxRetries: 2 });
 * const [text] = await caller.gen({ name: "x", line: 1, input: { mode: "raw", text: "Hi" }, maxTokens: 5, temperature: 0, n: 1 });
 */
export function createModelCaller(model: LanguageModel, run: RunOptions): ModelCaller {
  const calls: ProgramCall[] = [];
  let usage: Usage = {};
  let cost: number | null = 0;
  const note = (call: ProgramCall) => {
    calls.push(call);
    usage = addUsage(usage, call.usage);
    cost = cost === null || call.costUsd === null ? null : cost + call.costUsd;
  };

  async function once(request: GenRequest, count: number): Promise<string[]> {
    const prompt = promptOf(model, request.input);
    const settings = {
      model,
      ...prompt,
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      ...(request.stop?.length ? { stop: request.stop } : {}),
      ...run,
    };
    const base = { kind: "gen" as const, name: request.name, line: request.line };
    if (request.pattern !== undefined) {
      const r = await generateWithPattern({ ...settings, pattern: request.pattern });
      note({ ...base, method: r.method, usage: r.usage, costUsd: r.costUsd });
      return [r.text];
    }
    if (request.onDelta && count === 1) {
      const stream = streamText(settings);
      for await (const delta of stream.textStream) request.onDelta(delta);
      const done = await stream.done;
      note({ ...base, method: "stream", usage: done.usage, costUsd: done.costUsd, cached: done.cached });
      return [done.text];
    }
    const r = await generateText({ ...settings, ...(count > 1 ? { n: count } : {}) });
    note({ ...base, method: "generate", usage: r.usage, costUsd: r.costUsd, cached: r.cached });
    return count > 1 ? r.choices.map((c) => c.text) : [r.text];
  }

  return {
    calls,
    usage: () => ({ ...usage }),
    costUsd: () => cost,
    async gen(request) {
      if (request.n === 1) return once(request, 1);
      if (model.capabilities.multipleChoices && request.pattern === undefined) return once(request, request.n);
      const texts: string[] = [];
      for (let i = 0; i < request.n; i++) texts.push(...(await once({ ...request, onDelta: undefined }, 1)));
      return texts;
    },
    async select(request) {
      const r = await selectOption({
        model,
        ...promptOf(model, request.input),
        options: request.options,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...run,
      });
      note({
        kind: "select",
        name: request.name,
        line: request.line,
        method: r.method,
        usage: r.usage,
        costUsd: r.costUsd,
      });
      return { index: r.index, option: r.option, logprobs: r.logprobs };
    },
  };
}
