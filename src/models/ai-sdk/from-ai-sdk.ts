import type {
  LanguageModelV2,
  LanguageModelV2Content,
  LanguageModelV3,
  LanguageModelV3Content,
} from "@ai-sdk/provider";
import { InvalidArgumentError } from "../../spec/errors.js";
import type {
  CallOptions,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  StreamResult,
  ToolCall,
} from "../../spec/language-model.js";
import { toAISDKCallOptions } from "./ai-sdk-call-options.js";
import { fromAISDKError } from "./ai-sdk-errors.js";
import { fromAISDKFinishReason, fromAISDKToolCall, fromAISDKUsage, fromAISDKWarnings } from "./ai-sdk-results.js";
import { openAISDKStream } from "./ai-sdk-stream.js";

/** Any Vercel AI SDK language model: specification v3 (AI SDK 6) or v2 (AI SDK 5). */
export type AISDKLanguageModel = LanguageModelV3 | LanguageModelV2;

export interface FromAISDKOptions {
  /** weft provider name; defaults to the AI SDK provider string up to the first '.' (`openai.chat` → `openai`). */
  provider?: string;
  /** Overrides of the capabilities weft assumes for AI SDK models. */
  capabilities?: Partial<ModelCapabilities>;
}

/**
 * AI SDK models take tools and JSON-schema response formats (providers that cannot honour a schema
 * say so in a warning); log probabilities, n > 1, grammars and raw completion have no place in the
 * AI SDK call options.
 */
const CAPABILITIES: ModelCapabilities = {
  tools: true,
  jsonSchema: true,
  logprobs: false,
  multipleChoices: false,
  grammar: false,
  rawCompletion: false,
  embeddings: false,
};

/**
 * Wraps a Vercel AI SDK language model as a weft `LanguageModel`, so any AI SDK provider package
 * works with weft's generate functions, programs and agents.
 *
 * @example
 * import { openai } from "@ai-sdk/openai";
 * const model = fromAISDK(openai("gpt-4o-mini")); // provider "openai", modelId "gpt-4o-mini"
 * const { choices } = await model.doGenerate({ messages: [{ role: "user", content: "Hi" }] });
 */
export function fromAISDK(model: AISDKLanguageModel, options: FromAISDKOptions = {}): LanguageModel {
  const version = (model as { specificationVersion?: unknown } | null)?.specificationVersion;
  if (version !== "v3" && version !== "v2") {
    throw new InvalidArgumentError({
      argument: "model",
      message: `fromAISDK expects an AI SDK language model with specificationVersion "v3" or "v2" (AI SDK 5 or later); got ${JSON.stringify(version)}.`,
    });
  }
  const provider = options.provider ?? model.provider.split(".")[0] ?? model.provider;
  const modelId = model.modelId;
  const capabilities = { ...CAPABILITIES, ...options.capabilities };
  // v2 models take the same call option fields weft writes; only their results differ in shape.
  const target = model as LanguageModelV3;

  return {
    specificationVersion: "weft-lm-1",
    provider,
    modelId,
    capabilities,

    async doGenerate(callOptions: CallOptions): Promise<GenerateResult> {
      const context = { provider, modelId, abortSignal: callOptions.abortSignal };
      const { callOptions: sdkOptions, warnings } = toAISDKCallOptions(callOptions);
      try {
        const result = await target.doGenerate(sdkOptions);
        let text = "";
        const toolCalls: ToolCall[] = [];
        for (const part of result.content as Array<LanguageModelV3Content | LanguageModelV2Content>) {
          if (part.type === "text") text += part.text;
          else if (part.type === "tool-call" && !part.providerExecuted)
            toolCalls.push(fromAISDKToolCall(part, provider));
        }
        const allWarnings = [...warnings, ...fromAISDKWarnings(result.warnings)];
        return {
          choices: [{ text, toolCalls, finishReason: fromAISDKFinishReason(result.finishReason) }],
          usage: fromAISDKUsage(result.usage),
          ...(result.response?.id || result.response?.modelId
            ? { response: { id: result.response.id, modelId: result.response.modelId } }
            : {}),
          ...(allWarnings.length ? { warnings: allWarnings } : {}),
        };
      } catch (error) {
        throw fromAISDKError(error, context);
      }
    },

    async doStream(callOptions: CallOptions): Promise<StreamResult> {
      const context = { provider, modelId, abortSignal: callOptions.abortSignal };
      const { callOptions: sdkOptions, warnings } = toAISDKCallOptions(callOptions);
      let source: Awaited<ReturnType<LanguageModelV3["doStream"]>>;
      try {
        source = await target.doStream(sdkOptions);
      } catch (error) {
        throw fromAISDKError(error, context);
      }
      const opened = await openAISDKStream(source.stream, context);
      const allWarnings = [...warnings, ...opened.warnings];
      return { stream: opened.stream, ...(allWarnings.length ? { warnings: allWarnings } : {}) };
    },
  };
}
