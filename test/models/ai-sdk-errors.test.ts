import { APICallError as AISDKAPICallError, LoadAPIKeyError, NoSuchModelError } from "@ai-sdk/provider";
import { convertArrayToReadableStream, MockEmbeddingModelV3, MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { fromAISDK, fromAISDKEmbedding } from "../../src/models/ai-sdk/index.js";
import {
  AbortError,
  APICallError,
  AuthenticationError,
  ConnectionError,
  ContextLengthError,
  InvalidResponseError,
  ModelNotFoundError,
  RateLimitError,
  type WeftError,
} from "../../src/spec/errors.js";
import type { CallOptions, StreamPart } from "../../src/spec/language-model.js";

const call: CallOptions = { messages: [{ role: "user", content: "Hi" }] };

function apiError(statusCode: number | undefined, message: string, responseHeaders?: Record<string, string>) {
  return new AISDKAPICallError({
    message,
    url: "https://api.example.com/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    responseHeaders,
    responseBody: JSON.stringify({ error: { message } }),
  });
}

async function generateError(error: unknown, options: Partial<CallOptions> = {}): Promise<WeftError> {
  const mock = new MockLanguageModelV3({
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    doGenerate: async () => {
      throw error;
    },
  });
  return fromAISDK(mock)
    .doGenerate({ ...call, ...options })
    .then(
      () => {
        throw new Error("expected a failure");
      },
      (e: WeftError) => e,
    );
}

describe("AI SDK errors → weft errors", () => {
  it("APICallError 429 with retry-after → RateLimitError", async () => {
    const error = await generateError(apiError(429, "Too many requests", { "retry-after": "7" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect((error as RateLimitError).provider).toBe("openai");
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeInstanceOf(AISDKAPICallError);
  });

  it("APICallError 401 → AuthenticationError; 400 context → ContextLengthError; 404 model → ModelNotFoundError", async () => {
    expect(await generateError(apiError(401, "Incorrect API key"))).toBeInstanceOf(AuthenticationError);
    const tooLong = await generateError(apiError(400, "This model's maximum context length is 128000 tokens"));
    expect(tooLong).toBeInstanceOf(ContextLengthError);
    expect(await generateError(apiError(404, "The model `gpt-9` does not exist"))).toBeInstanceOf(ModelNotFoundError);
  });

  it("APICallError 500 → retryable APICallError keeping status and body", async () => {
    const error = await generateError(apiError(503, "Service unavailable"));
    expect(error).toBeInstanceOf(APICallError);
    expect((error as APICallError).status).toBe(503);
    expect((error as APICallError).responseBody).toContain("Service unavailable");
    expect(error.retryable).toBe(true);
  });

  it("APICallError without a status (network) → ConnectionError naming the URL", async () => {
    const error = await generateError(apiError(undefined, "Cannot connect to API: ECONNREFUSED"));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("https://api.example.com");
  });

  it("LoadAPIKeyError → AuthenticationError with the AI SDK's hint; NoSuchModelError → ModelNotFoundError", async () => {
    const missing = await generateError(
      new LoadAPIKeyError({ message: "OpenAI API key is missing. Set OPENAI_API_KEY." }),
    );
    expect(missing).toBeInstanceOf(AuthenticationError);
    expect(missing.message).toContain("OPENAI_API_KEY");
    const noModel = await generateError(new NoSuchModelError({ modelId: "x", modelType: "languageModel" }));
    expect(noModel).toBeInstanceOf(ModelNotFoundError);
  });

  it("an abort → AbortError; any other error → APICallError with its message", async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = await generateError(new DOMException("aborted", "AbortError"), { abortSignal: controller.signal });
    expect(aborted).toBeInstanceOf(AbortError);
    const other = await generateError(new Error("kaput"));
    expect(other).toBeInstanceOf(APICallError);
    expect(other.message).toContain("kaput");
  });

  it("doStream: a thrown error rejects doStream; an error part mid-stream fails the stream after earlier parts", async () => {
    const failing = new MockLanguageModelV3({
      doStream: async () => {
        throw apiError(429, "slow down", { "retry-after": "1" });
      },
    });
    await expect(fromAISDK(failing).doStream(call)).rejects.toBeInstanceOf(RateLimitError);

    const firstIsError = new MockLanguageModelV3({
      doStream: { stream: convertArrayToReadableStream([{ type: "error", error: apiError(401, "bad key") }]) },
    });
    await expect(fromAISDK(firstIsError).doStream(call)).rejects.toBeInstanceOf(AuthenticationError);

    const midway = new MockLanguageModelV3({
      doStream: {
        stream: convertArrayToReadableStream([
          { type: "stream-start", warnings: [] },
          { type: "text-delta", id: "t", delta: "partial" },
          { type: "error", error: apiError(500, "upstream died") },
        ]),
      },
    });
    const { stream } = await fromAISDK(midway).doStream(call);
    const parts: StreamPart[] = [];
    const error = await (async () => {
      for await (const part of stream) parts.push(part);
    })().catch((e: unknown) => e);
    expect(parts).toEqual([{ type: "text-delta", delta: "partial" }]);
    expect(error).toBeInstanceOf(APICallError);
    expect((error as APICallError).retryable).toBe(true);
  });
});

describe("fromAISDKEmbedding", () => {
  it("passes values, signal and headers; maps embeddings, usage and limits", async () => {
    const mock = new MockEmbeddingModelV3({
      provider: "openai.embedding",
      modelId: "text-embedding-3-small",
      maxEmbeddingsPerCall: 64,
      doEmbed: async ({ values }) => ({
        embeddings: values.map((v) => [v.length, 1]),
        usage: { tokens: 9 },
        warnings: [],
      }),
    });
    const embedder = fromAISDKEmbedding(mock, { dimensions: 2 });
    expect(embedder).toMatchObject({
      specificationVersion: "weft-em-1",
      provider: "openai",
      modelId: "text-embedding-3-small",
      dimensions: 2,
      maxBatchSize: 64,
    });
    const controller = new AbortController();
    const out = await embedder.doEmbed({
      values: ["ab", "abcd"],
      abortSignal: controller.signal,
      headers: { "x-a": "1" },
    });
    expect(out).toEqual({
      embeddings: [
        [2, 1],
        [4, 1],
      ],
      usage: { tokens: 9 },
    });
    expect(mock.doEmbedCalls[0]).toEqual({
      values: ["ab", "abcd"],
      abortSignal: controller.signal,
      headers: { "x-a": "1" },
    });
  });

  it("maps errors and rejects a wrong number of vectors", async () => {
    const limited = new MockEmbeddingModelV3({
      doEmbed: async () => {
        throw apiError(429, "rate limited", { "retry-after-ms": "1500" });
      },
    });
    const error = await fromAISDKEmbedding(limited)
      .doEmbed({ values: ["a"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(1500);

    const short = new MockEmbeddingModelV3({ doEmbed: { embeddings: [[1, 2]], warnings: [] } });
    await expect(fromAISDKEmbedding(short).doEmbed({ values: ["a", "b"] })).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });
});
