import { createServer } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AZURE_DEFAULT_API_VERSION, createAzure } from "../../src/models/openai/index.js";
import {
  AuthenticationError,
  ConnectionError,
  InvalidArgumentError,
  ModelNotFoundError,
  type WeftError,
} from "../../src/spec/errors.js";
import type { CallOptions, StreamPart } from "../../src/spec/language-model.js";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";

const KEY = "azure-secret-key-0123456789";
const hi: CallOptions = { messages: [{ role: "user", content: "Hi" }] };
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe("createAzure", () => {
  it("calls /openai/deployments/<deployment>/chat/completions with api-version and the api-key header", async () => {
    const azure = createAzure({ endpoint: `${server.origin}/`, apiKey: KEY, apiVersion: "2024-10-21", env: {} });
    expect(azure.name).toBe("azure");
    const model = azure.languageModel("my-gpt4o");
    const result = await model.doGenerate({ ...hi, maxTokens: 20 });
    expect(result.choices[0]?.text).toBe("Hello from the fake server.");
    expect(result.response?.modelId).toBe("my-gpt4o");
    const request = server.requests[0];
    expect(request?.path).toBe("/openai/deployments/my-gpt4o/chat/completions");
    expect(request?.query).toEqual({ "api-version": "2024-10-21" });
    expect(request?.headers["api-key"]).toBe(KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      model: "my-gpt4o",
      messages: [{ role: "user", content: "Hi" }],
      max_completion_tokens: 20,
    });
    expect(model.capabilities.rawCompletion).toBe(false);
    expect(model.provider).toBe("azure");
  });

  it("streams through the deployment path", async () => {
    const model = createAzure({ endpoint: server.origin, apiKey: KEY, env: {} }).languageModel("dep-1");
    server.enqueue({ text: "a b", toolCalls: [{ id: "c1", name: "f", arguments: { x: 1 } }] });
    const { stream } = await model.doStream(hi);
    const parts: StreamPart[] = [];
    for await (const part of stream) parts.push(part);
    expect(parts.filter((p) => p.type === "tool-call")).toEqual([
      { type: "tool-call", toolCall: { toolCallId: "c1", toolName: "f", input: { x: 1 } } },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
    expect(server.requests[0]?.path).toBe("/openai/deployments/dep-1/chat/completions");
  });

  it("embeds through the deployment path", async () => {
    const embedder = createAzure({ endpoint: server.origin, apiKey: KEY, env: {} }).embeddingModel("embed-dep");
    const result = await embedder.doEmbed({ values: ["one", "two"] });
    expect(result.embeddings).toHaveLength(2);
    expect(server.requests[0]?.path).toBe("/openai/deployments/embed-dep/embeddings");
    expect(server.requests[0]?.body.encoding_format).toBe("float");
  });

  it("reads AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and the API version from env", async () => {
    const env = {
      AZURE_OPENAI_API_KEY: KEY,
      AZURE_OPENAI_ENDPOINT: server.origin,
      OPENAI_API_VERSION: "2025-01-01-preview",
    };
    await createAzure({ env }).languageModel("d").doGenerate(hi);
    expect(server.requests[0]?.query["api-version"]).toBe("2025-01-01-preview");

    await createAzure({ env: { ...env, OPENAI_API_VERSION: undefined, AZURE_OPENAI_API_VERSION: "2024-06-01" } })
      .languageModel("d")
      .doGenerate(hi);
    expect(server.requests[1]?.query["api-version"]).toBe("2024-06-01");

    await createAzure({ env: { ...env, OPENAI_API_VERSION: undefined } })
      .languageModel("d")
      .doGenerate(hi);
    expect(server.requests[2]?.query["api-version"]).toBe(AZURE_DEFAULT_API_VERSION);
  });

  it("uses the deployment option (or AZURE_OPENAI_DEPLOYMENT) for an empty model name", async () => {
    await createAzure({ endpoint: server.origin, apiKey: KEY, deployment: "default-dep", env: {} })
      .languageModel("")
      .doGenerate(hi);
    expect(server.requests[0]?.path).toBe("/openai/deployments/default-dep/chat/completions");
    expect(() => createAzure({ endpoint: server.origin, apiKey: KEY, env: {} }).languageModel("")).toThrow(
      InvalidArgumentError,
    );
  });

  it("a missing key or endpoint fails at call time with a message naming the env var", async () => {
    const noKey = createAzure({ endpoint: server.origin, env: {} }).languageModel("d");
    const keyError = await noKey.doGenerate(hi).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(keyError)).toBe(true);
    expect((keyError as Error).message).toBe(
      "Azure OpenAI API key is missing. Pass apiKey or set AZURE_OPENAI_API_KEY.",
    );

    const noEndpoint = createAzure({ apiKey: KEY, env: {} }).languageModel("d");
    const endpointError = await noEndpoint.doStream(hi).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(endpointError)).toBe(true);
    expect((endpointError as Error).message).toMatch(/AZURE_OPENAI_ENDPOINT/);
    expect(server.requests).toHaveLength(0);
  });

  it("maps a rejected key to AuthenticationError naming AZURE_OPENAI_API_KEY", async () => {
    const model = createAzure({ endpoint: server.origin, apiKey: "wrong-azure-key-999", env: {} }).languageModel("d");
    const error = await model.doGenerate(hi).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/AZURE_OPENAI_API_KEY/);
    expect(inspect(error, { depth: 8 })).not.toContain("wrong-azure-key-999");
  });

  it("maps DeploymentNotFound to ModelNotFoundError", async () => {
    server.enqueue({
      status: 404,
      body: {
        error: {
          code: "DeploymentNotFound",
          message: "The API deployment for this resource does not exist.",
        },
      },
    });
    const error = await createAzure({ endpoint: server.origin, apiKey: KEY, env: {} })
      .languageModel("missing-dep")
      .doGenerate(hi)
      .catch((e: unknown) => e);
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/no deployment named 'missing-dep'/);
  });

  it("a dead endpoint → ConnectionError naming the endpoint", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const address = probe.address();
    const endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    await new Promise((resolve) => probe.close(resolve));
    const model = createAzure({ endpoint, apiKey: KEY, env: {} }).languageModel("d");
    const error = await model.doGenerate(hi).catch((e: unknown) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as WeftError).message).toBe(
      `Could not reach azure at ${endpoint}/openai. Check the endpoint (endpoint option or AZURE_OPENAI_ENDPOINT) and your network.`,
    );
  });
});
