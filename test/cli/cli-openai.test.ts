import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";
import { deadPort, runWeft, STACK_LINE, tempDir } from "./run-weft.js";

const KEY = "sk-test-cli-secret-key";
let server: FakeOpenAIServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
  env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
});
afterAll(() => server.close());

describe("weft run against an OpenAI-compatible server", () => {
  it("prints one JSON object with text, model, usage, cost and latency, and records a trace", async () => {
    const cwd = tempDir();
    server.enqueue({ text: "Hi there, friend.", usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } });
    const r = await runWeft(["run", "hi", "--model", "openai:gpt-4o-mini", "--json", "--max-tokens", "30"], {
      cwd,
      env,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      text: "Hi there, friend.",
      model: "openai:gpt-4o-mini",
      usage: { inputTokens: 12, outputTokens: 4 },
      finishReason: "stop",
    });
    expect(out.costUsd).toBeCloseTo((12 * 0.15 + 4 * 0.6) / 1e6, 12);
    expect(out.latencyMs).toBeGreaterThanOrEqual(0);
    const sent = server.requests.at(-1)?.body;
    expect(sent.model).toBe("gpt-4o-mini");
    expect(sent.messages).toEqual([{ role: "user", content: "hi" }]);
    expect(sent.max_completion_tokens).toBe(30);

    const traces = await runWeft(["traces", "--json"], { cwd, env });
    expect(traces.code).toBe(0);
    const list = JSON.parse(traces.stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      provider: "openai",
      modelId: "gpt-4o-mini",
      usage: { inputTokens: 12 },
      error: null,
    });
    // The API key must never reach the store.
    expect(readFileSync(join(cwd, ".weft", "weft.db")).includes(KEY)).toBe(false);

    const table = await runWeft(["traces"], { cwd, env });
    expect(table.stdout).toMatch(/openai:gpt-4o-mini .* 12 .* 4 /);
  });

  it("reads the prompt from stdin and honours --system", async () => {
    const r = await runWeft(["run", "--model", "openai:gpt-4o-mini", "--system", "Be terse."], {
      env,
      input: "What is 2+2?\n",
    });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("Hello from the fake server.");
    expect(server.requests.at(-1)?.body.messages).toEqual([
      { role: "system", content: "Be terse." },
      { role: "user", content: "What is 2+2?\n" },
    ]);
  });

  it("uses OPENAI_API_KEY to pick a model when none is named", async () => {
    const r = await runWeft(["run", "hi", "--json"], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).model).toBe("openai:gpt-4o-mini");
  });

  it("says the key was rejected, without a stack trace or the key", async () => {
    const r = await runWeft(["run", "hi", "--model", "openai:gpt-4o-mini"], {
      env: { ...env, OPENAI_API_KEY: "sk-wrong-key-123" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*rejected the API key.*OPENAI_API_KEY/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain("sk-wrong-key-123");
    expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
  });

  it("explains a missing key", async () => {
    const r = await runWeft(["run", "hi", "--model", "openai:gpt-4o-mini"], { env: { OPENAI_BASE_URL: server.url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/OPENAI_API_KEY/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("reports a dead server clearly", async () => {
    const url = `http://127.0.0.1:${await deadPort()}/v1`;
    const r = await runWeft(["run", "hi", "--model", "openai:gpt-4o-mini", "--retries", "0"], {
      env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: url },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Could not reach openai at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("reports a malformed response clearly", async () => {
    server.enqueue({ malformed: true });
    const r = await runWeft(["run", "hi", "--model", "openai:gpt-4o-mini", "--retries", "0"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: openai sent a response weft could not read/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("retries a 429 with Retry-After and then answers", async () => {
    server.enqueue({
      status: 429,
      headers: { "retry-after": "0" },
      body: { error: { message: "slow down", type: "rate_limit" } },
    });
    server.enqueue({ text: "after the wait" });
    const r = await runWeft(["run", "hi", "--model", "openai:gpt-4o-mini", "--json"], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ text: "after the wait", attempts: 2 });
  });

  it("names an unknown model the server does not have", async () => {
    server.enqueue({
      status: 404,
      body: { error: { message: "The model `gpt-9` does not exist", code: "model_not_found" } },
    });
    const r = await runWeft(["run", "hi", "--model", "openai:gpt-9"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Model 'openai:gpt-9' is not available/);
  });
});

describe("weft chat", () => {
  it("answers piped lines and continues a named session later", async () => {
    const cwd = tempDir();
    server.enqueue({ text: "Nice to meet you, Ada." });
    const first = await runWeft(["chat", "--model", "openai:gpt-4o-mini", "--session", "s1", "--system", "Be kind."], {
      cwd,
      env,
      input: "My name is Ada.\n",
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Nice to meet you, Ada.");

    server.enqueue({ text: "Your name is Ada." });
    const second = await runWeft(["chat", "--session", "s1"], { cwd, env, input: "What is my name?\n" });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Your name is Ada.");
    // The second run sent the saved system prompt and the earlier turns, to the saved model.
    const body = server.requests.at(-1)?.body;
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.messages).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "Nice to meet you, Ada." },
      { role: "user", content: "What is my name?" },
    ]);
  });

  it("keeps what other commands stored on the session", async () => {
    const cwd = tempDir();
    const { openStore } = await import("../../src/store/open-store.js");
    const store = await openStore({ path: join(cwd, ".weft", "weft.db") });
    await store.sessions.open("shared", { memory: { summary: "Ada likes tea.", summarized: 4 } });
    await store.close();
    server.enqueue({ text: "Hello." });
    const r = await runWeft(["chat", "--model", "openai:gpt-4o-mini", "--session", "shared"], {
      cwd,
      env,
      input: "hi\n",
    });
    expect(r.code).toBe(0);
    const reopened = await openStore({ path: join(cwd, ".weft", "weft.db") });
    const info = await reopened.sessions.get("shared");
    await reopened.close();
    expect(info?.metadata).toMatchObject({
      memory: { summary: "Ada likes tea.", summarized: 4 },
      model: "openai:gpt-4o-mini",
    });
  });

  it("handles /reset and /system commands from stdin", async () => {
    const cwd = tempDir();
    const r = await runWeft(["chat", "--model", "openai:gpt-4o-mini", "--session", "s2"], {
      cwd,
      env,
      input: "first\n/reset\n/system Answer in French.\nsecond\n",
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Conversation cleared.");
    expect(server.requests.at(-1)?.body.messages).toEqual([
      { role: "system", content: "Answer in French." },
      { role: "user", content: "second" },
    ]);
  });
});
