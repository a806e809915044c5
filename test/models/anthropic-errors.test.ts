import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropic } from "../../src/models/anthropic/index.js";
import {
  AbortError,
  APICallError,
  AuthenticationError,
  ConnectionError,
  ContextLengthError,
  InvalidResponseError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  WeftError,
} from "../../src/spec/errors.js";
import type { CallOptions, StreamPart } from "../../src/spec/language-model.js";
import {
  type FakeAnthropicReply,
  type FakeAnthropicServer,
  startFakeAnthropicServer,
} from "../../src/testing/fake-anthropic-server.js";

const SECRET = "sk-ant-secret-0123456789abcdef";
const call: CallOptions = { messages: [{ role: "user", content: "Hi" }] };

let server: FakeAnthropicServer;
const model = () => createAnthropic({ apiKey: SECRET, baseURL: server.url, env: {} }).languageModel("claude-haiku-4-5");

beforeAll(async () => {
  server = await startFakeAnthropicServer();
});
afterAll(() => server.close());

async function generateError(reply: FakeAnthropicReply): Promise<WeftError> {
  server.enqueue(reply);
  const error = await model()
    .doGenerate(call)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(WeftError.isInstance(error)).toBe(true);
  expect(inspect(error, { depth: 8 })).not.toContain(SECRET);
  return error as WeftError;
}

async function streamError(reply: FakeAnthropicReply): Promise<{ error: WeftError; parts: StreamPart[] }> {
  server.enqueue(reply);
  const parts: StreamPart[] = [];
  try {
    const { stream } = await model().doStream(call);
    for await (const part of stream) parts.push(part);
  } catch (error) {
    expect(WeftError.isInstance(error)).toBe(true);
    expect(inspect(error, { depth: 8 })).not.toContain(SECRET);
    return { error: error as WeftError, parts };
  }
  throw new Error(`expected the stream to fail; got ${JSON.stringify(parts)}`);
}

describe("HTTP errors", () => {
  it("401 → AuthenticationError naming ANTHROPIC_API_KEY, without the key", async () => {
    const error = await generateError({ status: 401 });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect(error.message).toContain("ANTHROPIC_API_KEY");
    expect(error.retryable).toBe(false);
  });

  it("403 → AuthenticationError", async () => {
    expect(await generateError({ status: 403 })).toBeInstanceOf(AuthenticationError);
  });

  it("a server that checks the key rejects a wrong one", async () => {
    const strict = await startFakeAnthropicServer({ apiKey: "the-right-key" });
    try {
      const m = createAnthropic({ apiKey: SECRET, baseURL: strict.url, env: {} }).languageModel("claude-haiku-4-5");
      const error = await m.doGenerate(call).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(String((error as Error).message)).not.toContain(SECRET);
      const ok = createAnthropic({ apiKey: "the-right-key", baseURL: strict.url, env: {} }).languageModel(
        "claude-haiku-4-5",
      );
      await expect(ok.doGenerate(call)).resolves.toBeDefined();
    } finally {
      await strict.close();
    }
  });

  it("429 with retry-after → retryable RateLimitError with retryAfterMs", async () => {
    const error = await generateError({ status: 429, headers: { "retry-after": "3" } });
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
    expect(error.retryable).toBe(true);
  });

  it("529 → retryable APICallError saying Anthropic is overloaded", async () => {
    const error = await generateError({ status: 529, error: { message: "Overloaded" } });
    expect(error).toBeInstanceOf(APICallError);
    expect((error as APICallError).status).toBe(529);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/Anthropic is overloaded/);
  });

  it("400 prompt is too long → ContextLengthError", async () => {
    const message = "prompt is too long: 250000 tokens > 200000 maximum";
    const error = await generateError({ status: 400, error: { type: "invalid_request_error", message } });
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error.message).toContain("250000 tokens");
  });

  it("404 unknown model → ModelNotFoundError", async () => {
    const error = await generateError({ status: 404, error: { message: "model: claude-nope" } });
    expect(error).toBeInstanceOf(ModelNotFoundError);
  });

  it("500 → retryable APICallError; other 400 → non-retryable APICallError with the server's message", async () => {
    const server500 = await generateError({ status: 500 });
    expect(server500).toBeInstanceOf(APICallError);
    expect(server500.retryable).toBe(true);
    const bad = await generateError({ status: 400, error: { message: "temperature: must be <= 1" } });
    expect(bad).toBeInstanceOf(APICallError);
    expect(bad.retryable).toBe(false);
    expect(bad.message).toContain("temperature: must be <= 1");
    expect((bad as APICallError).responseBody).toContain("invalid_request_error");
  });

  it("an HTTP error on a stream request rejects doStream before any part", async () => {
    server.enqueue({ status: 429, headers: { "retry-after": "1" } });
    await expect(model().doStream(call)).rejects.toBeInstanceOf(RateLimitError);
  });

  it("count_tokens errors are mapped too", async () => {
    server.enqueue({ status: 401 });
    await expect(model().countTokens?.("x")).rejects.toBeInstanceOf(AuthenticationError);
    server.enqueue({ malformed: true });
    await expect(model().countTokens?.("x")).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe("malformed responses", () => {
  it("truncated JSON → InvalidResponseError", async () => {
    expect(await generateError({ malformed: true })).toBeInstanceOf(InvalidResponseError);
  });

  it("JSON that is not a message → InvalidResponseError", async () => {
    expect(await generateError({ body: '{"hello":"world"}' })).toBeInstanceOf(InvalidResponseError);
  });

  it("an HTML page → InvalidResponseError", async () => {
    const error = await generateError({ body: "<html>proxy login</html>", headers: { "content-type": "text/html" } });
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("proxy login");
  });
});

describe("stream failures", () => {
  it("an event that is not JSON → InvalidResponseError", async () => {
    const { error } = await streamError({ text: "Hello there", malformed: true });
    expect(error).toBeInstanceOf(InvalidResponseError);
  });

  it("a connection cut mid-stream → retryable ConnectionError, after the parts that arrived", async () => {
    const { error, parts } = await streamError({ text: "one two three four five", cutAfterEvents: 5 });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/dropped while the response was streaming/);
    expect(parts.some((p) => p.type === "text-delta")).toBe(true);
    expect(parts.some((p) => p.type === "finish")).toBe(false);
  });

  it("a stream that ends cleanly without message_stop → InvalidResponseError", async () => {
    const start = { type: "message_start", message: { id: "m", model: "x", content: [], usage: { input_tokens: 1 } } };
    const delta = { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "partial" } };
    const body = `event: message_start\ndata: ${JSON.stringify(start)}\n\nevent: content_block_delta\ndata: ${JSON.stringify(delta)}\n\n`;
    const { error, parts } = await streamError({ body, headers: { "content-type": "text/event-stream" } });
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/without message_stop/);
    expect(parts).toEqual([{ type: "text-delta", delta: "partial" }]);
  });

  it("an SSE error event (overloaded) → retryable APICallError", async () => {
    const { error } = await streamError({
      text: "a b c",
      streamError: { type: "overloaded_error", message: "Overloaded", afterEvents: 3 },
    });
    expect(error).toBeInstanceOf(APICallError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/overloaded/i);
  });

  it("an SSE error event (rate limit) → RateLimitError", async () => {
    const { error } = await streamError({
      streamError: { type: "rate_limit_error", message: "slow down", afterEvents: 1 },
    });
    expect(error).toBeInstanceOf(RateLimitError);
  });
});

describe("network failures and cancellation", () => {
  it("a server that is not running → retryable ConnectionError naming the URL", async () => {
    const gone = await startFakeAnthropicServer();
    await gone.close();
    const m = createAnthropic({ apiKey: SECRET, baseURL: gone.url, env: {} }).languageModel("claude-haiku-4-5");
    const error = await m.doGenerate(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).retryable).toBe(true);
    expect((error as Error).message).toContain(gone.url);
  });

  it("aborting while the server is still thinking → AbortError, no hang", async () => {
    const controller = new AbortController();
    const slow = await startFakeAnthropicServer({
      reply: () => {
        controller.abort();
        return { delayMs: 60_000 };
      },
    });
    try {
      const m = createAnthropic({ apiKey: SECRET, baseURL: slow.url, env: {} }).languageModel("claude-haiku-4-5");
      await expect(m.doGenerate({ ...call, abortSignal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    } finally {
      await slow.close();
    }
  });

  it("an abort reason that is a WeftError (a timeout) is kept", async () => {
    const controller = new AbortController();
    const slow = await startFakeAnthropicServer({
      reply: () => {
        controller.abort(new TimeoutError({ timeoutMs: 5 }));
        return { delayMs: 60_000 };
      },
    });
    try {
      const m = createAnthropic({ apiKey: SECRET, baseURL: slow.url, env: {} }).languageModel("claude-haiku-4-5");
      await expect(m.doGenerate({ ...call, abortSignal: controller.signal })).rejects.toBeInstanceOf(TimeoutError);
    } finally {
      await slow.close();
    }
  });

  it("aborting mid-stream → AbortError, not a silent end", async () => {
    server.enqueue({ text: "one two three four five six", eventDelayMs: 30 });
    const controller = new AbortController();
    const { stream } = await model().doStream({ ...call, abortSignal: controller.signal });
    const parts: StreamPart[] = [];
    const consume = async () => {
      for await (const part of stream) {
        parts.push(part);
        if (part.type === "text-delta") controller.abort();
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(AbortError);
    expect(parts.filter((p) => p.type === "finish")).toEqual([]);
  });
});
