import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createLocalOpenAICompatible,
  createOpenAICompatible,
  LOCAL_OPENAI_COMPATIBLE_SERVERS,
  LOCAL_SERVER_NAMES,
  listServerModels,
  localServerBaseURL,
} from "../../src/models/openai/index.js";
import { AuthenticationError, ConnectionError, InvalidArgumentError, TimeoutError } from "../../src/spec/errors.js";
import type { CallOptions, StreamPart } from "../../src/spec/language-model.js";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";

const hi: CallOptions = { messages: [{ role: "user", content: "Hi" }] };
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ models: ["llama3.2", "qwen2.5:0.5b"] });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("createOpenAICompatible", () => {
  it("works without a key (placeholder bearer), sends max_tokens and top_k", async () => {
    const provider = createOpenAICompatible({ name: "vllm", baseURL: server.url });
    const model = provider.languageModel("Qwen/Qwen2.5-0.5B-Instruct");
    const result = await model.doGenerate({
      ...hi,
      maxTokens: 16,
      topK: 40,
      providerOptions: { vllm: { min_p: 0.1 } },
    });
    expect(result.choices[0]?.text).toBe("Hello from the fake server.");
    expect(result.warnings).toBeUndefined();
    expect(server.requests[0]?.headers.authorization).toBe("Bearer no-key");
    expect(server.requests[0]?.body).toEqual({
      model: "Qwen/Qwen2.5-0.5B-Instruct",
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: 16,
      top_k: 40,
      min_p: 0.1,
    });
    expect(model.provider).toBe("vllm");
    expect(model.capabilities.rawCompletion).toBe(true);
    expect(model.countTokens).toBeUndefined();
  });

  it("sends a given key and headers", async () => {
    const keyed = await startFakeOpenAIServer({ apiKey: "local-key-123" });
    try {
      const provider = createOpenAICompatible({
        name: "proxy",
        baseURL: keyed.url,
        apiKey: "local-key-123",
        headers: { "x-team": "a" },
      });
      await provider.languageModel("m").doGenerate(hi);
      expect(keyed.requests[0]?.headers).toMatchObject({ authorization: "Bearer local-key-123", "x-team": "a" });
      const error = await createOpenAICompatible({ name: "proxy", baseURL: keyed.url, apiKeyEnv: "PROXY_KEY" })
        .languageModel("m")
        .doGenerate(hi)
        .catch((e: unknown) => e);
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/PROXY_KEY/);
    } finally {
      await keyed.close();
    }
  });

  it("runs raw prompts through /completions (generate and stream, with logprobs)", async () => {
    const model = createOpenAICompatible({ name: "llamacpp", baseURL: server.url }).languageModel("tiny");
    server.enqueue({ text: "there was a fox" });
    const result = await model.doGenerate({
      messages: [{ role: "user", content: "Once upon a time" }],
      rawPrompt: "Once upon a time",
      maxTokens: 8,
      stop: ["\n"],
      topLogprobs: 2,
      tools: [{ name: "ignored", inputSchema: {} }],
    });
    expect(server.requests[0]?.path).toBe("/v1/completions");
    expect(server.requests[0]?.body).toEqual({
      model: "tiny",
      prompt: "Once upon a time",
      max_tokens: 8,
      stop: ["\n"],
      logprobs: 2,
    });
    expect(result.choices[0]).toMatchObject({ text: "there was a fox", finishReason: "stop", toolCalls: [] });
    expect(result.choices[0]?.logprobs?.[0]).toEqual({
      token: "there",
      logprob: -0.1,
      topLogprobs: [
        { token: "there", logprob: -0.1 },
        { token: "there~1", logprob: -1.1 },
      ],
    });
    expect(result.usage).toEqual({ inputTokens: 4, outputTokens: 4, totalTokens: 8 });
    expect(result.warnings).toEqual(["tools are not available with a raw prompt and were ignored."]);

    server.enqueue({ text: "and a hen", finishReason: "length" });
    const { stream } = await model.doStream({ messages: [], rawPrompt: "Once" });
    const parts: StreamPart[] = [];
    for await (const part of stream) parts.push(part);
    expect(server.requests[1]?.body).toMatchObject({
      prompt: "Once",
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(parts.filter((p) => p.type === "text-delta").map((p) => p.delta)).toEqual(["and", " a", " hen"]);
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      finishReason: "length",
      usage: { inputTokens: 1, outputTokens: 3 },
    });
  });

  it("embeds against the server", async () => {
    const embedder = createOpenAICompatible({ name: "ollama", baseURL: server.url }).embeddingModel("nomic-embed-text");
    const { embeddings } = await embedder.doEmbed({ values: ["x"] });
    expect(embeddings[0]).toHaveLength(8);
    expect(embedder.dimensions).toBeUndefined();
  });

  it("needs a name and a base URL", () => {
    expect(() => createOpenAICompatible({ name: "", baseURL: server.url })).toThrow(InvalidArgumentError);
    expect(() => createOpenAICompatible({ name: "x", baseURL: "" })).toThrow(InvalidArgumentError);
  });
});

describe("local OpenAI-compatible servers", () => {
  it("has the well-known defaults and env overrides", () => {
    expect(LOCAL_SERVER_NAMES).toEqual(["ollama", "llamacpp", "lmstudio", "vllm"]);
    expect(Object.fromEntries(LOCAL_SERVER_NAMES.map((n) => [n, localServerBaseURL(n, {})]))).toEqual({
      ollama: "http://127.0.0.1:11434/v1",
      llamacpp: "http://127.0.0.1:8080/v1",
      lmstudio: "http://127.0.0.1:1234/v1",
      vllm: "http://127.0.0.1:8000/v1",
    });
    expect(localServerBaseURL("llamacpp", { LLAMACPP_BASE_URL: "http://gpu-box:9000/v1/" })).toBe(
      "http://gpu-box:9000/v1",
    );
    expect(localServerBaseURL("lmstudio", { LMSTUDIO_BASE_URL: "http://10.0.0.2:1234/v1" })).toBe(
      "http://10.0.0.2:1234/v1",
    );
    expect(localServerBaseURL("vllm", { VLLM_BASE_URL: "http://h:1/v1" })).toBe("http://h:1/v1");
    expect(() => localServerBaseURL("nope", {})).toThrow(InvalidArgumentError);
  });

  it("honours OLLAMA_HOST the way Ollama reads it, with OLLAMA_BASE_URL taking precedence", () => {
    expect(localServerBaseURL("ollama", { OLLAMA_HOST: "0.0.0.0" })).toBe("http://127.0.0.1:11434/v1");
    expect(localServerBaseURL("ollama", { OLLAMA_HOST: "0.0.0.0:11500" })).toBe("http://127.0.0.1:11500/v1");
    expect(localServerBaseURL("ollama", { OLLAMA_HOST: "gpu-box" })).toBe("http://gpu-box:11434/v1");
    expect(localServerBaseURL("ollama", { OLLAMA_HOST: "https://ollama.example.com" })).toBe(
      "https://ollama.example.com/v1",
    );
    expect(localServerBaseURL("ollama", { OLLAMA_HOST: "x:1", OLLAMA_BASE_URL: "http://y:2/v1" })).toBe(
      "http://y:2/v1",
    );
  });

  it("talks to a server found through the env override", async () => {
    const ollama = createLocalOpenAICompatible("ollama", { env: { OLLAMA_BASE_URL: server.url } });
    expect(ollama.name).toBe("ollama");
    const result = await ollama.languageModel("llama3.2").doGenerate(hi);
    expect(result.choices[0]?.text).toBe("Hello from the fake server.");
  });

  it("a refused connection says how to start the server", async () => {
    const port = await deadPort();
    for (const name of LOCAL_SERVER_NAMES) {
      const baseURL = `http://127.0.0.1:${port}/v1`;
      const viaFactory = createLocalOpenAICompatible(name, { baseURL }).languageModel("m");
      const viaName = createOpenAICompatible({ name, baseURL }).languageModel("m");
      for (const model of [viaFactory, viaName]) {
        const error = await model.doGenerate(hi).catch((e: unknown) => e);
        expect(ConnectionError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(
          `Could not reach ${name} at ${baseURL}. ${LOCAL_OPENAI_COMPATIBLE_SERVERS[name].hint}`,
        );
      }
    }
    expect(LOCAL_OPENAI_COMPATIBLE_SERVERS.ollama.hint).toBe("Start Ollama (ollama serve) or set OLLAMA_BASE_URL.");
  });
});

describe("listServerModels", () => {
  it("lists the server's model ids with GET /models", async () => {
    expect(await listServerModels({ baseURL: server.url })).toEqual(["llama3.2", "qwen2.5:0.5b"]);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/v1/models" });
  });

  it("rejects with ConnectionError when nothing listens", async () => {
    const baseURL = `http://127.0.0.1:${await deadPort()}/v1`;
    const error = await listServerModels({ baseURL, provider: "ollama" }).catch((e: unknown) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(baseURL);
  });

  it("rejects with TimeoutError when the server does not answer in time", async () => {
    const { createServer: createHttpServer } = await import("node:http");
    const silent = createHttpServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const error = await listServerModels({ baseURL: `http://127.0.0.1:${port}/v1`, timeoutMs: 100 }).catch(
        (e: unknown) => e,
      );
      expect(TimeoutError.isInstance(error)).toBe(true);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
