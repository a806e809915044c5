import type Anthropic from "@anthropic-ai/sdk";
import { InvalidResponseError } from "../../spec/errors.js";
import type {
  CallOptions,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  StreamResult,
} from "../../spec/language-model.js";
import { fromAnthropicError } from "./anthropic-errors.js";
import { type AnthropicRequestBody, toAnthropicRequest } from "./anthropic-request.js";
import { fromAnthropicMessage } from "./anthropic-response.js";
import { fromAnthropicStream } from "./anthropic-stream.js";

export interface AnthropicChatModelSettings {
  modelId: string;
  baseURL: string;
  /** Returns the SDK client, or throws AuthenticationError when there is no API key. */
  client: () => Promise<Anthropic>;
}

const CAPABILITIES: ModelCapabilities = {
  tools: true,
  jsonSchema: false,
  logprobs: false,
  multipleChoices: false,
  grammar: false,
  rawCompletion: false,
  embeddings: false,
};

/**
 * A `LanguageModel` over the Anthropic Messages API. Usually obtained from `createAnthropic`.
 *
 * @example
 * const model = createAnthropicChatModel({ modelId: "claude-haiku-4-5", baseURL, client: async () => sdkClient });
 * const { choices } = await model.doGenerate({ messages: [{ role: "user", content: "Hi" }] });
 */
export function createAnthropicChatModel(settings: AnthropicChatModelSettings): LanguageModel {
  const { modelId, baseURL } = settings;

  async function call<T>(options: CallOptions | undefined, run: (client: Anthropic) => Promise<T>): Promise<T> {
    try {
      return await run(await settings.client());
    } catch (error) {
      throw fromAnthropicError(error, { modelId, baseURL, abortSignal: options?.abortSignal });
    }
  }

  const requestOptions = (options: CallOptions) => ({
    ...(options.abortSignal ? { signal: options.abortSignal } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });

  return {
    specificationVersion: "weft-lm-1",
    provider: "anthropic",
    modelId,
    capabilities: CAPABILITIES,

    async doGenerate(options: CallOptions): Promise<GenerateResult> {
      const { body, warnings } = toAnthropicRequest(modelId, options);
      const message = await call(options, (client) =>
        client.messages.create(body as Anthropic.MessageCreateParamsNonStreaming, requestOptions(options)),
      );
      return fromAnthropicMessage(message, warnings);
    },

    async doStream(options: CallOptions): Promise<StreamResult> {
      const { body, warnings } = toAnthropicRequest(modelId, options);
      const streamBody: AnthropicRequestBody = { ...body, stream: true };
      const events = await call(options, (client) =>
        client.messages.create(streamBody as Anthropic.MessageCreateParamsStreaming, requestOptions(options)),
      );
      return {
        stream: fromAnthropicStream(events, { modelId, baseURL, abortSignal: options.abortSignal }),
        ...(warnings.length ? { warnings } : {}),
      };
    },

    async countTokens(text: string): Promise<number> {
      if (text === "") return 0;
      const result = await call(undefined, (client) =>
        client.messages.countTokens({ model: modelId, messages: [{ role: "user", content: text }] }),
      );
      if (typeof result?.input_tokens !== "number") {
        throw new InvalidResponseError({ provider: "anthropic", detail: "count_tokens answered without input_tokens" });
      }
      return result.input_tokens;
    },
  };
}
