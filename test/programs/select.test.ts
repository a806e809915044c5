import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOpenAI, createOpenAICompatible } from "../../src/models/openai/index.js";
import { chooseSelectMethod, selectOption } from "../../src/programs/select.js";
import { nearestOption } from "../../src/programs/select-prompts.js";
import { readOptionLogprobs } from "../../src/programs/select-read-logprobs.js";
import { InvalidArgumentError } from "../../src/spec/errors.js";
import type { TokenLogprob } from "../../src/spec/language-model.js";
import { createMockLanguageModel, type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/index.js";

const question = [{ role: "user" as const, content: "Is the sky blue?" }];
const OPTIONS = [" Yes", " No", " Maybe"];

/** A Chat Completions body whose first token has the given alternatives. */
function chatWithTopLogprobs(text: string, top: Array<[string, number]>) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 0,
    model: "gpt-4o-mini",
    choices: [
      {
        index: 0,
        finish_reason: "stop",
        message: { role: "assistant", content: text, refusal: null },
        logprobs: {
          content: [
            {
              token: text,
              logprob: top[0]?.[1] ?? -0.1,
              bytes: null,
              top_logprobs: top.map(([token, logprob]) => ({ token, logprob, bytes: null })),
            },
          ],
          refusal: null,
        },
      },
    ],
    usage: { prompt_tokens: 30, completion_tokens: 1, total_tokens: 31 },
  };
}

describe("selectOption on an OpenAI model (fake server, real SDK)", () => {
  let server: FakeOpenAIServer;
  const model = () => createOpenAI({ apiKey: "test", baseURL: server.url }).languageModel("gpt-4o-mini");

  beforeAll(async () => {
    server = await startFakeOpenAIServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it("reads the options from the first token's top logprobs in one short call", async () => {
    server.enqueue({
      status: 200,
      body: chatWithTopLogprobs("Yes", [
        ["Yes", -0.2],
        ["No", -1.8],
        [" Maybe", -3.5],
        ["The", -4],
      ]),
    });
    const result = await selectOption({ model: model(), messages: question, options: OPTIONS });
    expect(result).toMatchObject({ index: 0, option: " Yes", method: "logprobs", calls: 1 });
    expect(result.logprobs).toEqual([-0.2, -1.8, -3.5]);
    expect(result.usage).toMatchObject({ inputTokens: 30, outputTokens: 1 });
    expect(result.costUsd).toBeGreaterThan(0);
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({ logprobs: true, top_logprobs: 20, temperature: 0 });
    expect(body.max_completion_tokens).toBeLessThanOrEqual(8);
    const last = body.messages.at(-1);
    expect(last.role).toBe("user");
    expect(last.content).toContain("- Yes\n- No\n- Maybe");
  });

  it("decides when only one option appears among the alternatives; the others stay unknown", async () => {
    server.enqueue({ text: "No", logprobs: [-0.05] });
    const result = await selectOption({ model: model(), messages: question, options: OPTIONS });
    expect(result).toMatchObject({ option: " No", method: "logprobs" });
    expect(result.logprobs).toEqual([null, -0.05, null]);
  });

  it("falls back to a JSON-schema enum call when the first tokens do not tell the options apart", async () => {
    server.enqueue({ text: "Well, it depends." }, { text: '{"option":" No"}' });
    const result = await selectOption({ model: model(), messages: question, options: OPTIONS });
    expect(result).toMatchObject({ index: 1, option: " No", method: "json-schema-enum", calls: 2 });
    expect(result.logprobs).toEqual([null, null, null]);
    expect(server.requests).toHaveLength(2);
    const format = server.requests[1]?.body.response_format;
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.schema.properties.option.enum).toEqual(OPTIONS);
    expect(format.json_schema.schema.required).toEqual(["option"]);
    // Both calls are counted (the fake server counts words).
    expect(result.usage.outputTokens).toBe(3 + 2);
  });

  it("falls back when the most likely reading is shared by two options", async () => {
    server.enqueue(
      {
        status: 200,
        body: chatWithTopLogprobs("New", [
          ["New", -0.1],
          ["Old", -2],
        ]),
      },
      { text: '{"option":"New Jersey"}' },
    );
    const result = await selectOption({
      model: model(),
      messages: [{ role: "user", content: "Which state?" }],
      options: ["New York", "New Jersey", "Old Town"],
    });
    expect(result.method).toBe("json-schema-enum");
    expect(result.option).toBe("New Jersey");
  });

  it("continues a raw prompt on a compatible server's completions endpoint and compares tokens exactly", async () => {
    server.enqueue({ text: " girl named Lily", logprobs: [-0.4, -0.1, -0.1] });
    const completions = createOpenAICompatible({ name: "llamacpp", baseURL: server.url }).languageModel("tiny");
    expect(completions.capabilities.rawCompletion).toBe(true);
    const result = await selectOption({
      model: completions,
      rawPrompt: "Once upon a time, there was a little",
      options: [" girl", " boy"],
    });
    expect(result).toMatchObject({ option: " girl", method: "logprobs" });
    expect(result.logprobs[0]).toBeCloseTo(-0.4, 9);
    expect(server.requests[0]?.path).toBe("/v1/completions");
    expect(server.requests[0]?.body.prompt).toBe("Once upon a time, there was a little");
  });
});

describe("selectOption on models without logprobs (mock models)", () => {
  it("asks for an option and matches the reply to the nearest one", async () => {
    const model = createMockLanguageModel({ reply: "I'd say: no." });
    const result = await selectOption({ model, messages: question, options: OPTIONS });
    expect(result).toMatchObject({ index: 1, option: " No", method: "prompt", logprobs: [null, null, null] });
    const sent = model.calls[0];
    expect(sent?.temperature).toBe(0);
    const last = sent?.messages.at(-1);
    expect(last?.role).toBe("user");
    expect(String(last?.content)).toContain("Answer with exactly one of these options");
  });

  it("asks a chat model to continue a raw prefix when it has no raw mode", async () => {
    const model = createMockLanguageModel({ reply: "blue", capabilities: { rawCompletion: false } });
    const result = await selectOption({ model, rawPrompt: "The sky is", options: [" green", " blue"] });
    expect(result.option).toBe(" blue");
    expect(model.calls[0]?.rawPrompt).toBeUndefined();
    expect(String(model.calls[0]?.messages[0]?.content)).toMatch(/^The sky is\n\nContinue the text above/);
  });

  it("constrains a grammar model to the literal options", async () => {
    const model = createMockLanguageModel({ reply: " No", capabilities: { grammar: true } });
    expect(chooseSelectMethod(model)).toBe("grammar");
    const result = await selectOption({ model, rawPrompt: "Is it?", options: [' "Yes"', " No"] });
    expect(result).toMatchObject({ index: 1, method: "grammar" });
    expect(model.calls[0]?.grammar).toBe('root ::= " \\"Yes\\"" | " No"');
    expect(model.calls[0]?.rawPrompt).toBe("Is it?");
  });

  it("falls back to the prompt method when a logprobs model has no JSON schema mode", async () => {
    const model = createMockLanguageModel({
      capabilities: { logprobs: true },
      reply: [
        { choices: [{ text: "Hmm", toolCalls: [], finishReason: "stop", logprobs: [{ token: "Hmm", logprob: -1 }] }] },
        "Maybe.",
      ],
    });
    const result = await selectOption({ model, messages: question, options: OPTIONS });
    expect(result).toMatchObject({ option: " Maybe", method: "prompt", calls: 2 });
    expect(model.calls[0]?.topLogprobs).toBe(20);
  });

  it("passes run options through: an aborted signal stops the call", async () => {
    const model = createMockLanguageModel({ reply: "Yes" });
    const controller = new AbortController();
    controller.abort();
    await expect(
      selectOption({ model, messages: question, options: OPTIONS, abortSignal: controller.signal, maxRetries: 0 }),
    ).rejects.toThrow(/aborted/);
  });

  it("rejects empty, blank and duplicate options and a missing prompt", async () => {
    const model = createMockLanguageModel();
    await expect(selectOption({ model, messages: question, options: [] })).rejects.toThrow(InvalidArgumentError);
    await expect(selectOption({ model, messages: question, options: ["a", ""] })).rejects.toThrow(/non-empty/);
    await expect(selectOption({ model, messages: question, options: ["a", "a"] })).rejects.toThrow(/twice/);
    await expect(selectOption({ model, options: ["a", "b"] })).rejects.toThrow(/messages .* or rawPrompt/);
    expect(model.calls).toHaveLength(0);
  });
});

describe("readOptionLogprobs", () => {
  const token = (text: string, logprob: number, top: Array<[string, number]> = []): TokenLogprob => ({
    token: text,
    logprob,
    topLogprobs: top.map(([t, l]) => ({ token: t, logprob: l })),
  });

  it("follows the generated tokens to tell apart options sharing a first token", () => {
    const tokens = [
      token("New", -0.1, [
        ["New", -0.1],
        ["Old", -2.5],
      ]),
      token(" York", -0.3, [
        [" York", -0.3],
        [" Jersey", -1.5],
      ]),
    ];
    const reading = readOptionLogprobs(tokens, ["New York", "New Jersey", "Old Town"], { trimLeading: true });
    expect(reading.decided).toBe(0);
    expect(reading.logprobs[0]).toBeCloseTo(-0.4, 9);
    expect(reading.logprobs[1]).toBeCloseTo(-1.6, 9);
    expect(reading.logprobs[2]).toBeCloseTo(-2.5, 9);
  });

  it("accepts a token that runs past an option at a word boundary, not inside a word", () => {
    const tokens = [token("No.", -0.2, [["Nobody", -0.1]])];
    expect(readOptionLogprobs(tokens, ["No", "Yes"], { trimLeading: true })).toEqual({
      logprobs: [-0.2, null],
      decided: 0,
    });
  });

  it("keeps leading spaces significant for raw continuations", () => {
    const tokens = [token(" girl", -0.4, [["girl", -0.2]])];
    expect(readOptionLogprobs(tokens, [" girl", "girl"], { trimLeading: false }).logprobs).toEqual([-0.4, -0.2]);
  });

  it("does not decide when nothing matches or the winner's reading is shared", () => {
    expect(readOptionLogprobs([token("Well", -0.1)], ["Yes", "No"], { trimLeading: true }).decided).toBeUndefined();
    const shared = readOptionLogprobs([token("Yes", -0.1)], ["Yes", "Yes please"], { trimLeading: true });
    expect(shared.decided).toBeUndefined();
  });
});

describe("nearestOption", () => {
  it("matches exactly, then ignoring case and punctuation, then by the earliest named option, then by edit distance", () => {
    expect(nearestOption(" No", OPTIONS)).toBe(1);
    expect(nearestOption('"maybe!"', OPTIONS)).toBe(2);
    expect(nearestOption("My answer is yes, not no", OPTIONS)).toBe(0);
    expect(nearestOption("Mabye", OPTIONS)).toBe(2);
    expect(nearestOption("Yes please", ["Yes", "Yes please"])).toBe(1);
  });
});
