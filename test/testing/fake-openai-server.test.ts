import { afterEach, describe, expect, it } from "vitest";
import { type FakeJson, type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options?: Parameters<typeof startFakeOpenAIServer>[0]) {
  server = await startFakeOpenAIServer(options);
  return server;
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** The parsed JSON body of a response. */
const json = (response: Response): Promise<FakeJson> => response.json();

/** Reads an SSE body into its `data:` payloads. */
async function sseData(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice("data: ".length));
}

const chat = { model: "gpt-test", messages: [{ role: "user", content: "Say hello please" }] };

describe("startFakeOpenAIServer", () => {
  it("listens on 127.0.0.1 with a /v1 base URL and records requests", async () => {
    const s = await start();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/v1`);
    const response = await post(`${s.url}/chat/completions`, chat, { "x-test": "1" });
    expect(response.status).toBe(200);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({ method: "POST", path: "/v1/chat/completions", body: chat });
    expect(s.requests[0]?.headers["x-test"]).toBe("1");
  });

  it("answers with the default text and word-count usage", async () => {
    const s = await start();
    const body = await json(await post(`${s.url}/chat/completions`, chat));
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "gpt-test",
      choices: [
        { index: 0, message: { role: "assistant", content: "Hello from the fake server." }, finish_reason: "stop" },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    });
  });

  it("takes replies from the queue first, then from the reply function", async () => {
    const s = await start({ reply: (req) => ({ text: `echo ${req.body.messages[0].content}` }) });
    s.enqueue({ text: "queued" });
    const first = await json(await post(`${s.url}/chat/completions`, chat));
    const second = await json(await post(`${s.url}/chat/completions`, chat));
    expect(first.choices[0].message.content).toBe("queued");
    expect(second.choices[0].message.content).toBe("echo Say hello please");
  });

  it("streams SSE chunks with role, deltas, finish, usage and [DONE]", async () => {
    const s = await start();
    s.enqueue({ text: "one two three", chunkSize: 2 });
    const response = await post(`${s.url}/chat/completions`, {
      ...chat,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const data = await sseData(response);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "one two" },
      { content: " three" },
      {},
      undefined,
    ]);
    expect(chunks[3].choices[0].finish_reason).toBe("stop");
    expect(chunks[0].usage).toBeNull();
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 3 } });
  });

  it("streams tool calls as argument deltas", async () => {
    const s = await start();
    s.enqueue({ toolCalls: [{ id: "call_1", name: "weather", arguments: { city: "Paris", unit: "celsius" } }] });
    const data = await sseData(await post(`${s.url}/chat/completions`, { ...chat, stream: true }));
    const deltas = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]);
    const calls = deltas.flatMap((c) => c.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "weather", arguments: "" },
    });
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.map((c) => c.function.arguments).join("")).toBe('{"city":"Paris","unit":"celsius"}');
    expect(deltas.at(-1)?.finish_reason).toBe("tool_calls");
  });

  it("returns n choices and logprobs when asked", async () => {
    const s = await start();
    s.enqueue({ choices: [{ text: "a b" }, { text: "c" }] });
    const body = await json(
      await post(`${s.url}/chat/completions`, { ...chat, n: 2, logprobs: true, top_logprobs: 2 }),
    );
    expect(body.choices.map((c: { message: { content: string } }) => c.message.content)).toEqual(["a b", "c"]);
    expect(body.choices[0].logprobs.content).toEqual([
      {
        token: "a",
        logprob: -0.1,
        bytes: [97],
        top_logprobs: [
          { token: "a", logprob: -0.1, bytes: [97] },
          { token: "a~1", logprob: -1.1, bytes: [97, 126, 49] },
        ],
      },
      expect.objectContaining({ token: " b", logprob: -0.2 }),
    ]);
  });

  it("serves /completions, /embeddings and /models", async () => {
    const s = await start({ embeddingDimensions: 4, models: ["m1", "m2"] });
    const completion = await json(await post(`${s.url}/completions`, { model: "m", prompt: "Once upon", logprobs: 1 }));
    expect(completion).toMatchObject({ object: "text_completion", choices: [{ text: "Hello from the fake server." }] });
    expect(completion.choices[0].logprobs.tokens[0]).toBe("Hello");

    const embed = async (input: unknown) =>
      (await json(await post(`${s.url}/embeddings`, { model: "e", input, encoding_format: "float" }))).data;
    const [a, b] = await embed(["cat", "dog"]);
    const [again] = await embed("cat");
    expect(a.embedding).toHaveLength(4);
    expect(again.embedding).toEqual(a.embedding);
    expect(b.embedding).not.toEqual(a.embedding);
    expect(Math.hypot(...a.embedding)).toBeCloseTo(1, 6);

    const models = await json(await fetch(`${s.url}/models`));
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(["m1", "m2"]);
  });

  it("serves Azure deployment paths and records the deployment and query", async () => {
    const s = await start();
    const response = await post(`${s.origin}/openai/deployments/my-dep/chat/completions?api-version=2024-10-21`, chat);
    expect((await json(response)).model).toBe("my-dep");
    expect(s.requests[0]).toMatchObject({ deployment: "my-dep", query: { "api-version": "2024-10-21" } });
  });

  it("requires the API key when configured, with an OpenAI-shaped 401", async () => {
    const s = await start({ apiKey: "sk-right" });
    const wrong = await post(`${s.url}/chat/completions`, chat, { authorization: "Bearer sk-wrong" });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key" });
    expect((await post(`${s.url}/chat/completions`, chat, { authorization: "Bearer sk-right" })).status).toBe(200);
    expect((await post(`${s.url}/chat/completions`, chat, { "api-key": "sk-right" })).status).toBe(200);
  });

  it("injects faults: status replies, malformed bodies, cut streams, resets", async () => {
    const s = await start();
    s.enqueue({ status: 429, headers: { "retry-after": "7" }, body: { error: { message: "slow" } } });
    const limited = await post(`${s.url}/chat/completions`, chat);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");

    s.enqueue({ malformed: true });
    const malformed = await post(`${s.url}/chat/completions`, chat);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow(SyntaxError);

    s.enqueue({ cutStreamAfter: 2 });
    const cut = await post(`${s.url}/chat/completions`, { ...chat, stream: true });
    await expect(cut.text()).rejects.toThrow();

    s.enqueue({ resetConnection: true });
    await expect(post(`${s.url}/chat/completions`, chat)).rejects.toThrow();
  });

  it("close() ends a delayed reply instead of waiting for it", async () => {
    const s = await start();
    s.enqueue({ delayMs: 60_000 });
    const pending = post(`${s.url}/chat/completions`, chat).then(
      () => "answered",
      () => "failed",
    );
    while (s.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await s.close();
    server = undefined;
    expect(await pending).toBe("failed");
  });

  it("answers unknown routes with a 404 error body", async () => {
    const s = await start();
    const response = await post(`${s.url}/nope`, {});
    expect(response.status).toBe(404);
    expect((await json(response)).error.message).toMatch(/Unknown route/);
  });
});
