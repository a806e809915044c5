import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Completion } from "openai/resources/completions";
import type { CallOptions, GenerateResult, LanguageModel, StreamResult } from "../../spec/language-model.js";
import type { Connection } from "./connection.js";
import { mapOpenAIError } from "./map-error.js";
import { mapChatCompletion, mapCompletion } from "./map-response.js";
import { chatStreamParts, completionStreamParts } from "./map-stream.js";
import { chatRequestBody, completionRequestBody } from "./request-body.js";
import { countOpenAITokens } from "./token-count.js";

/**
 * A language model on the Chat Completions API (and `/completions` for raw prompts), shared by
 * OpenAI, Azure OpenAI and OpenAI-compatible servers; `connection` carries their differences.
 *
 * @example
 * const model = createChatModel(connection, "gpt-4o-mini");
 * const { choices } = await model.doGenerate({ messages: [{ role: "user", content: "Hi" }] });
 */
export function createChatModel(connection: Connection, modelId: string): LanguageModel {
  const { provider, flavor } = connection;
  const ctx = { provider, modelId, flavor };
  const requestOptions = (options: CallOptions) => ({
    ...(options.abortSignal ? { signal: options.abortSignal } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const fail = (error: unknown, options: CallOptions) =>
    mapOpenAIError(error, connection, modelId, options.abortSignal);

  async function doGenerate(options: CallOptions): Promise<GenerateResult> {
    try {
      const client = await connection.client();
      if (options.rawPrompt !== undefined) {
        const { body, warnings } = completionRequestBody(options, ctx);
        const response = await client.completions.create(body, requestOptions(options));
        return withWarnings(mapCompletion(provider, response), warnings);
      }
      const { body, warnings } = chatRequestBody(options, ctx);
      const response = await client.chat.completions.create(body, requestOptions(options));
      return withWarnings(mapChatCompletion(provider, response), warnings);
    } catch (error) {
      throw fail(error, options);
    }
  }

  async function doStream(options: CallOptions): Promise<StreamResult> {
    const streamCtx = {
      provider,
      multipleChoices: (options.n ?? 1) > 1,
      abortSignal: options.abortSignal,
      mapError: (error: unknown) => fail(error, options),
    };
    const streamOptions = { stream: true as const, stream_options: { include_usage: true } };
    try {
      const client = await connection.client();
      if (options.rawPrompt !== undefined) {
        const { body, warnings } = completionRequestBody(options, ctx);
        const chunks = await client.completions.create({ ...body, ...streamOptions }, requestOptions(options));
        return withWarnings(
          { stream: completionStreamParts(chunks as AsyncIterable<Completion>, streamCtx) },
          warnings,
        );
      }
      const { body, warnings } = chatRequestBody(options, ctx);
      const chunks = await client.chat.completions.create({ ...body, ...streamOptions }, requestOptions(options));
      return withWarnings(
        { stream: chatStreamParts(chunks as AsyncIterable<ChatCompletionChunk>, streamCtx) },
        warnings,
      );
    } catch (error) {
      throw fail(error, options);
    }
  }

  return {
    specificationVersion: "weft-lm-1",
    provider,
    modelId,
    capabilities: {
      tools: true,
      jsonSchema: true,
      logprobs: true,
      multipleChoices: true,
      grammar: false,
      rawCompletion: flavor.rawCompletion,
      embeddings: true,
    },
    doGenerate,
    doStream,
    ...(flavor.countTokens ? { countTokens: (text: string) => countOpenAITokens(modelId, text) } : {}),
  };
}

function withWarnings<T extends object>(result: T, warnings: string[]): T & { warnings?: string[] } {
  return warnings.length > 0 ? { ...result, warnings } : result;
}
