import { createServer } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAI } from "../../src/models/openai/index.js";
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
import { type FakeOpenAIServer, type FakeReply, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";

const SECRET = "sk-secret-0123456789abcdef";
const call: CallOptions = { messages: [{ role: "user", content: "Hi" }] };

let server: FakeOpenAIServer;
const model = (options: { apiKey?: string; timeoutMs?: number; baseURL?: string } = {}) =>
  createOpenAI({ apiKey: SECRET, baseURL: server.url, env: {}, ...options }).languageModel("gpt-4o-mini");

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: SECRET });
});
afterAll(() => server.close());

function expectClean(error: unknown): WeftError {
  expect(WeftError.isInstance(error)).toBe(true);
  expect(inspect(error, { depth: 8 })).not.toContain(SECRET);
  return error as WeftError;
}

async function generateError(reply: FakeReply | undefined, options: CallOptions = call, m = model()) {
  if (reply) server.enqueue(reply);
  const error = await m.doGenerate(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  return expectClean(error);
}

/** Runs a stream to its end; returns the parts seen and where it failed. */
async function streamFailure(reply: FakeReply | undefined, options: CallOptions = call, m = model()) {
  if (reply) server.enqueue(reply);
  const parts: StreamPart[] = [];
  let stage: "start" | "iterate" = "start";
  try {
    const { stream } = await m.doStream(options);
    stage = "iterate";
    for await (const part of stream) parts.push(part);
  } catch (error) {
    return { error: expectClean(error), parts, stage };
  }
  throw new Error(`expected the stream to fail; got ${JSON.stringify(parts)}`);
}

async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("HTTP failures", () => {
  it("401 → AuthenticationError naming OPENAI_API_KEY, never the key", async () => {
    const error = await generateError(undefined, call, model({ apiKey: `${SECRET}-wrong` }));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "openai rejected the API key (HTTP 401). Check the API key in OPENAI_API_KEY (or pass apiKey explicitly).",
    );
    expect(inspect(error, { depth: 8 })).not.toContain(`${SECRET}-wrong`);
    expect(error.retryable).toBe(false);
  });

  it("403 → AuthenticationError", async () => {
    const error = await generateError({ status: 403, body: { error: { message: "Project lacks access" } } });
    expect(AuthenticationError.isInstance(error)).toBe(true);
  });

  it("429 → retryable RateLimitError with retryAfterMs from Retry-After", async () => {
    const error = await generateError({
      status: 429,
      headers: { "retry-after": "2" },
      body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
    });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
    expect(error.retryable).toBe(true);

    const precise = await generateError({ status: 429, headers: { "retry-after-ms": "250" }, body: {} });
    expect((precise as RateLimitError).retryAfterMs).toBe(250);
  });

  it("500 → retryable APICallError with the status and the server's message", async () => {
    const error = await generateError({
      status: 500,
      body: { error: { message: "The server had an error", type: "server_error" } },
    });
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).status).toBe(500);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("The server had an error");
  });

  it("400 with a context-length body → ContextLengthError", async () => {
    const error = await generateError({
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      },
    });
    expect(ContextLengthError.isInstance(error)).toBe(true);
    expect(error.message).toContain("openai:gpt-4o-mini");
    expect(error.retryable).toBe(false);
  });

  it("other 400s → non-retryable APICallError", async () => {
    const error = await generateError({
      status: 400,
      body: { error: { message: "Invalid value for 'temperature'", type: "invalid_request_error" } },
    });
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it("404 for a model → ModelNotFoundError", async () => {
    const error = await generateError({
      status: 404,
      body: {
        error: { message: "The model `gpt-9` does not exist", type: "invalid_request_error", code: "model_not_found" },
      },
    });
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain("openai:gpt-4o-mini");
  });

  it("removes the key when the server echoes it back", async () => {
    const body = { error: { message: `Key ${SECRET} is not allowed for this project`, type: "invalid_request_error" } };
    const error = await generateError({ status: 400, body });
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.message).toContain("Key [redacted] is not allowed");
    expect((error as APICallError).responseBody).toContain("[redacted]");
    const { error: streamed } = await streamFailure({ status: 400, body });
    expect(streamed.message).toContain("[redacted]");
  });

  it("fails doStream itself (before any part) for HTTP errors", async () => {
    const { error, stage } = await streamFailure({ status: 429, headers: { "retry-after": "1" }, body: {} });
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(stage).toBe("start");
  });
});

describe("broken responses", () => {
  it("malformed JSON with HTTP 200 → InvalidResponseError", async () => {
    const error = await generateError({ malformed: true });
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/malformed JSON/);
  });

  it("a non-JSON 200 body (e.g. a proxy's HTML page) → InvalidResponseError", async () => {
    const error = await generateError({
      status: 200,
      headers: { "content-type": "text/html" },
      body: "<html>login</html>",
    });
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error.message).toContain("<html>login</html>");
  });

  it("a malformed SSE event → InvalidResponseError from the iterator", async () => {
    const { error, stage } = await streamFailure({ malformed: true });
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(stage).toBe("iterate");
  });

  it("a stream cut mid-way → ConnectionError from the iterator, after the parts already received", async () => {
    const { error, parts, stage } = await streamFailure({ text: "one two three four five", cutStreamAfter: 3 });
    expect(stage).toBe("iterate");
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/closed before the response was complete/);
    expect(error.retryable).toBe(true);
    expect(parts).toEqual([
      { type: "text-delta", delta: "one" },
      { type: "text-delta", delta: " two" },
    ]);
  });

  it("a stream cut just before [DONE] still fails instead of returning a result", async () => {
    // 1 role chunk + 2 text chunks + 1 finish chunk, then the socket dies before usage and [DONE].
    const { error } = await streamFailure({ text: "a b", cutStreamAfter: 4 }, { ...call });
    expect(ConnectionError.isInstance(error)).toBe(true);
  });

  it("a stream that ends without a finish_reason → InvalidResponseError", async () => {
    const { error, parts } = await streamFailure({ text: "partial answer", finishReason: null });
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/no finish_reason/);
    expect(parts.some((p) => p.type === "finish")).toBe(false);
  });

  it("a stream cut before the first byte → ConnectionError from doStream", async () => {
    const { error, stage } = await streamFailure({ cutStreamAfter: 0 });
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(stage).toBe("start");
  });

  it("a reset connection → ConnectionError", async () => {
    const error = await generateError({ resetConnection: true });
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
  });
});

describe("network failures, aborts and timeouts", () => {
  it("a dead port → ConnectionError with the base URL and without the key", async () => {
    const baseURL = `http://127.0.0.1:${await deadPort()}/v1`;
    const error = await generateError(undefined, call, model({ baseURL }));
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `Could not reach openai at ${baseURL}. Check that the server is running and the base URL is right.`,
    );
    expect((error as ConnectionError).url).toBe(baseURL);
    const { error: streamed } = await streamFailure(undefined, call, model({ baseURL }));
    expect(ConnectionError.isInstance(streamed)).toBe(true);
  });

  it("an already aborted signal → AbortError without a request", async () => {
    const before = server.requests.length;
    const error = await generateError(undefined, { ...call, abortSignal: AbortSignal.abort() });
    expect(AbortError.isInstance(error)).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  it("aborting while the server is slow → AbortError", async () => {
    const controller = new AbortController();
    server.enqueue({ delayMs: 30_000 });
    const count = server.requests.length;
    const pending = model().doGenerate({ ...call, abortSignal: controller.signal });
    while (server.requests.length === count) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = expectClean(await pending.catch((e: unknown) => e));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it("aborting mid-stream → AbortError from the iterator, not a quiet end", async () => {
    const controller = new AbortController();
    server.enqueue({ text: "a b c d e f g h i j" });
    const { stream } = await model().doStream({ ...call, abortSignal: controller.signal });
    const parts: StreamPart[] = [];
    const error = await (async () => {
      for await (const part of stream) {
        parts.push(part);
        if (parts.length === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(AbortError.isInstance(expectClean(error))).toBe(true);
    expect(parts).toHaveLength(2);
  });

  it("an abort whose reason is a weft error surfaces that error", async () => {
    const controller = new AbortController();
    server.enqueue({ delayMs: 30_000 });
    const count = server.requests.length;
    const pending = model().doGenerate({ ...call, abortSignal: controller.signal });
    while (server.requests.length === count) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new TimeoutError({ timeoutMs: 10 }));
    const error = await pending.catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it("the SDK's own timeout (timeoutMs) → TimeoutError", async () => {
    server.enqueue({ delayMs: 30_000 });
    const error = await generateError(undefined, call, model({ timeoutMs: 50 }));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(50);
    expect(error.retryable).toBe(true);
  });
});
