import type {
  CallOptions,
  Choice,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  StreamPart,
  StreamResult,
} from "../spec/language-model.js";

/** What a mock answers: a string, a partial result, or an error to throw. */
export type MockReply = string | (Partial<GenerateResult> & { text?: string }) | Error;

export interface MockLanguageModelOptions {
  provider?: string;
  modelId?: string;
  /**
   * The reply: one value for every call, a list consumed call by call (the last one repeats), or a
   * function of the call options.
   */
  reply?: MockReply | MockReply[] | ((options: CallOptions, callIndex: number) => MockReply | Promise<MockReply>);
  capabilities?: Partial<ModelCapabilities>;
  /** Characters per streamed text delta (default: one word per delta). */
  chunkSize?: number;
  /** Count tokens as whitespace-separated words (default) or with a function. */
  countTokens?: (text: string) => number;
}

/** A language model double that records every call. */
export interface MockLanguageModel extends LanguageModel {
  /** Every call's options, in order. */
  readonly calls: CallOptions[];
}

const words = (text: string) => (text.trim() === "" ? 0 : text.trim().split(/\s+/).length);

function promptText(options: CallOptions): string {
  if (options.rawPrompt !== undefined) return options.rawPrompt;
  return options.messages
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : m.content.map((p) => ("text" in p ? p.text : JSON.stringify("input" in p ? p.input : p.output))).join(" "),
    )
    .join("\n");
}

/**
 * Creates a mock language model for tests: no network, deterministic, and every call recorded.
 *
 * @example
 * const model = createMockLanguageModel({ reply: ["first", "second"] });
 * const { text } = await generateText({ model, prompt: "hi" }); // "first"
 * model.calls[0].messages; // [{ role: "user", content: "hi" }]
 */
export function createMockLanguageModel(options: MockLanguageModelOptions = {}): MockLanguageModel {
  const calls: CallOptions[] = [];
  const count = options.countTokens ?? words;

  async function resolve(call: CallOptions): Promise<GenerateResult> {
    const index = calls.length;
    calls.push(call);
    const spec = options.reply ?? "mock reply";
    let reply: MockReply;
    if (typeof spec === "function") reply = await spec(call, index);
    else if (Array.isArray(spec)) reply = spec[Math.min(index, spec.length - 1)] ?? "";
    else reply = spec;
    if (reply instanceof Error) throw reply;
    const partial = typeof reply === "string" ? { text: reply } : reply;
    const choices: Choice[] = partial.choices ?? [
      {
        text: partial.text ?? "",
        toolCalls: [],
        finishReason: "stop",
      },
    ];
    const outputTokens = choices.reduce((sum, c) => sum + count(c.text), 0);
    const inputTokens = count(promptText(call));
    return {
      choices,
      usage: partial.usage ?? { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      response: partial.response ?? { id: `mock-${index}`, modelId: options.modelId ?? "mock-model" },
      warnings: partial.warnings,
    };
  }

  const chunkSize = options.chunkSize;
  function split(text: string): string[] {
    if (chunkSize) {
      const out: string[] = [];
      for (let i = 0; i < text.length; i += chunkSize) out.push(text.slice(i, i + chunkSize));
      return out;
    }
    return text.match(/\s*\S+/g) ?? (text ? [text] : []);
  }

  return {
    specificationVersion: "weft-lm-1",
    provider: options.provider ?? "mock",
    modelId: options.modelId ?? "mock-model",
    capabilities: {
      tools: true,
      jsonSchema: false,
      logprobs: false,
      multipleChoices: true,
      grammar: false,
      rawCompletion: true,
      embeddings: false,
      ...options.capabilities,
    },
    calls,
    doGenerate: resolve,
    async doStream(call): Promise<StreamResult> {
      const result = await resolve(call);
      async function* stream(): AsyncGenerator<StreamPart> {
        for (const [choiceIndex, choice] of result.choices.entries()) {
          for (const delta of split(choice.text)) yield { type: "text-delta", delta, choiceIndex };
          for (const toolCall of choice.toolCalls) yield { type: "tool-call", toolCall, choiceIndex };
        }
        yield {
          type: "finish",
          finishReason: result.choices[0]?.finishReason ?? "stop",
          usage: result.usage,
          response: result.response,
        };
      }
      return { stream: stream(), warnings: result.warnings };
    },
    async countTokens(text) {
      return count(text);
    },
  };
}
