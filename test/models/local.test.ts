import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocal, DEFAULT_MAX_TOKENS, type LocalProvider } from "../../src/models/local/index.js";
import { AbortError, ContextLengthError, InvalidArgumentError, ModelNotFoundError } from "../../src/spec/errors.js";
import type { CallOptions, LanguageModel, StreamPart } from "../../src/spec/language-model.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// The story model ships in the repository (examples/models); the random-weights tokenizer fixture lives in ../shared.
const modelsDir = path.resolve(repoRoot, "examples/models");
const STORIES = path.join(modelsDir, "stories260K.gguf");
const RANDOM = path.resolve(repoRoot, "../shared/models/llama-2-tiny-random.gguf");
const hasStories = existsSync(STORIES);
const hasRandom = existsSync(RANDOM);
if (!hasStories) console.warn(`[local.test] skipping the stories260K tests: ${STORIES} is missing.`);
if (!hasRandom) console.warn(`[local.test] skipping the tokenizer tests: ${RANDOM} is missing.`);

const raw = (rawPrompt: string, extra: Partial<CallOptions> = {}): CallOptions => ({
  messages: [{ role: "user", content: rawPrompt }],
  rawPrompt,
  temperature: 0,
  ...extra,
});

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const textOf = (parts: StreamPart[]) => parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("");

describe.skipIf(!hasStories)("local provider on stories260K", () => {
  let local: LocalProvider;
  let model: LanguageModel;

  beforeAll(() => {
    local = createLocal({ threads: 1, modelsDir });
    model = local.languageModel(STORIES);
  });

  afterAll(async () => {
    await local?.dispose();
  });

  it("declares what it can do", () => {
    expect(model.provider).toBe("local");
    expect(model.modelId).toBe(STORIES);
    expect(model.capabilities).toEqual({
      tools: true,
      jsonSchema: true,
      logprobs: true,
      multipleChoices: true,
      grammar: true,
      rawCompletion: true,
      embeddings: true,
    });
  });

  it("continues a raw prompt greedily and reproducibly", async () => {
    const first = await model.doGenerate(raw("Once upon a time", { maxTokens: 40 }));
    const second = await model.doGenerate(raw("Once upon a time", { maxTokens: 40 }));
    const text = first.choices[0]?.text ?? "";
    expect(text).toContain("Lily");
    expect(text.startsWith(", there was a little girl named Lily.")).toBe(true);
    expect(second.choices[0]?.text).toBe(text);
  });

  it("counts tokens with the model tokenizer, matching usage", async () => {
    const prompt = "Once upon a time";
    expect(await model.countTokens?.(prompt)).toBe(4);
    const result = await model.doGenerate(raw(prompt, { maxTokens: 12 }));
    // The evaluated prompt is the beginning-of-sequence token plus the text's tokens.
    expect(result.usage.inputTokens).toBe(4 + 1);
    expect(result.usage.outputTokens).toBe(12);
    expect(result.usage.totalTokens).toBe(17);
    expect(result.choices[0]?.finishReason).toBe("length");
  });

  it("streams the same text doGenerate returns, with one finish part at the end", async () => {
    const options = raw("The little dog", { maxTokens: 48 });
    const generated = await model.doGenerate(options);
    const { stream } = await model.doStream(options);
    const parts = await collect(stream);
    const deltas = parts.filter((p) => p.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(5);
    expect(textOf(parts)).toBe(generated.choices[0]?.text);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      finishReason: "length",
      usage: generated.usage,
    });
  });

  it("bounds output: maxTokens is respected and a default bound applies", async () => {
    const short = await model.doGenerate(raw("Once upon a time", { maxTokens: 5 }));
    expect(short.usage.outputTokens).toBe(5);
    expect(short.choices[0]?.finishReason).toBe("length");
    const unbounded = await model.doGenerate(raw("Once upon a time"));
    expect(unbounded.usage.outputTokens).toBeLessThanOrEqual(DEFAULT_MAX_TOKENS);
  });

  it("stops at a stop sequence and leaves it out of the text, also when streaming", async () => {
    const options = raw("Once upon a time", { maxTokens: 100, stop: ["Lily"] });
    const result = await model.doGenerate(options);
    expect(result.choices[0]?.text).toBe(", there was a little girl named ");
    expect(result.choices[0]?.finishReason).toBe("stop");
    const parts = await collect((await model.doStream(options)).stream);
    expect(textOf(parts)).toBe(", there was a little girl named ");
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  });

  it("chats through the chat template with a system prompt and history", async () => {
    const messages: CallOptions["messages"] = [
      { role: "system", content: "You tell short stories." },
      { role: "user", content: "Tell me about a cat." },
      { role: "assistant", content: "The cat was happy." },
      { role: "user", content: "And then?" },
    ];
    const result = await model.doGenerate({ messages, temperature: 0, maxTokens: 30 });
    const again = await model.doGenerate({ messages, temperature: 0, maxTokens: 30 });
    expect(result.choices[0]?.text.trim().length).toBeGreaterThan(0);
    expect(again.choices[0]?.text).toBe(result.choices[0]?.text);
    const contentTokens = await Promise.all(
      ["You tell short stories.", "Tell me about a cat.", "The cat was happy.", "And then?"].map(
        async (t) => (await model.countTokens?.(t)) ?? 0,
      ),
    );
    // The template adds its own markers around the messages.
    expect(result.usage.inputTokens).toBeGreaterThan(contentTokens.reduce((a, b) => a + b, 0) + 1);
    // A trailing assistant message is continued, not answered.
    const prefilled = await model.doGenerate({
      messages: [...messages, { role: "assistant", content: "Once upon a time" }],
      temperature: 0,
      maxTokens: 10,
    });
    expect(prefilled.usage.inputTokens).toBeGreaterThan(result.usage.inputTokens ?? 0);
  });

  it("enforces a JSON schema through a grammar", async () => {
    const schema = {
      type: "object",
      properties: {
        mood: { enum: ["happy", "sad", "curious"] },
        name: { type: "string", maxLength: 8 },
      },
      required: ["mood", "name"],
    };
    const result = await model.doGenerate(
      raw("Once upon a time", { maxTokens: 60, responseFormat: { type: "json", schema } }),
    );
    const value = JSON.parse(result.choices[0]?.text ?? "");
    expect(["happy", "sad", "curious"]).toContain(value.mood);
    expect(typeof value.name).toBe("string");
    expect(value.name.length).toBeLessThanOrEqual(8);
    expect(result.choices[0]?.finishReason).toBe("stop");

    const chat = await model.doGenerate({
      messages: [{ role: "user", content: "Who is in the story?" }],
      temperature: 0,
      maxTokens: 60,
      responseFormat: { type: "json", schema },
    });
    expect(["happy", "sad", "curious"]).toContain(JSON.parse(chat.choices[0]?.text ?? "").mood);
  });

  it("constrains free JSON without a schema and warns about schema keywords it cannot enforce", async () => {
    const free = await model.doGenerate(raw("Once upon a time", { maxTokens: 20, responseFormat: { type: "json" } }));
    expect(free.choices[0]?.text.trimStart()).toMatch(/^[[{"\d\-tfn]/);
    const bounded = await model.doGenerate(
      raw("Once upon a time", {
        maxTokens: 20,
        responseFormat: {
          type: "json",
          schema: { type: "object", properties: { age: { type: "number", minimum: 3 } } },
        },
      }),
    );
    expect(bounded.warnings?.join(" ")).toContain("minimum");
  });

  it("honours a GBNF grammar and rejects an invalid one", async () => {
    const result = await model.doGenerate(raw("Once upon a time", { maxTokens: 10, grammar: 'root ::= "yes" | "no"' }));
    expect(["yes", "no"]).toContain(result.choices[0]?.text);
    const streamed = await collect(
      (await model.doStream(raw("Once upon a time", { maxTokens: 10, grammar: 'root ::= "yes" | "no"' }))).stream,
    );
    expect(textOf(streamed)).toBe(result.choices[0]?.text);
    await expect(model.doGenerate(raw("x", { grammar: "root ::= undefined-rule" }))).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      model.doGenerate(raw("x", { grammar: 'root ::= "a"', responseFormat: { type: "json" } })),
    ).rejects.toThrow(InvalidArgumentError);
  });

  it("returns per-token log probabilities of the raw distribution", async () => {
    const result = await model.doGenerate(raw("Once upon a time", { maxTokens: 8, logprobs: true, topLogprobs: 3 }));
    const choice = result.choices[0];
    const logprobs = choice?.logprobs ?? [];
    expect(logprobs.map((l) => l.token).join("")).toBe(choice?.text);
    expect(logprobs[0]?.token).toBe(",");
    for (const entry of logprobs) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.topLogprobs).toHaveLength(3);
      // Greedy decoding picks the most likely token, so it heads the alternatives.
      expect(entry.topLogprobs?.[0]).toEqual({ token: entry.token, logprob: entry.logprob });
      const mass = (entry.topLogprobs ?? []).reduce((sum, alt) => sum + Math.exp(alt.logprob), 0);
      expect(mass).toBeLessThanOrEqual(1 + 1e-6);
    }
    // "Lily" is the likely name after "named" (probability 0.9 under this model).
    const named = await model.doGenerate(
      raw("Once upon a time, there was a little girl named", { maxTokens: 1, logprobs: true }),
    );
    expect(named.choices[0]?.logprobs?.[0]?.token).toBe(" Lily");
    expect(named.choices[0]?.logprobs?.[0]?.logprob).toBeGreaterThan(Math.log(0.5));

    const parts = await collect(
      (await model.doStream(raw("Once upon a time", { maxTokens: 8, logprobs: true }))).stream,
    );
    const streamed = parts.find((p) => p.type === "logprobs");
    expect(streamed?.type === "logprobs" && streamed.logprobs.map((l) => l.logprob)).toEqual(
      logprobs.map((l) => l.logprob),
    );
  });

  it("samples several choices; a seed makes sampling reproducible", async () => {
    const options = raw("Once upon a time", { maxTokens: 20, temperature: 1, seed: 42, n: 2 });
    const first = await model.doGenerate(options);
    const second = await model.doGenerate(options);
    expect(first.choices).toHaveLength(2);
    expect(second.choices.map((c) => c.text)).toEqual(first.choices.map((c) => c.text));
    expect(first.usage.inputTokens).toBe(5);
    const parts = await collect((await model.doStream(options)).stream);
    for (const index of [0, 1]) {
      const text = parts.map((p) => (p.type === "text-delta" && p.choiceIndex === index ? p.delta : "")).join("");
      expect(text).toBe(first.choices[index]?.text);
    }
  });

  it("ends a stream with AbortError when aborted mid-way, and keeps working afterwards", async () => {
    const controller = new AbortController();
    const { stream } = await model.doStream(
      raw("Once upon a time", { maxTokens: 200, abortSignal: controller.signal }),
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const part of stream) {
        if (part.type === "text-delta") seen.push(part.delta);
        if (seen.length === 3) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(3);

    const already = AbortSignal.abort();
    await expect(model.doGenerate(raw("Once upon a time", { abortSignal: already }))).rejects.toThrow(AbortError);

    // Leaving a stream early cancels it without blocking the next call.
    for await (const part of (await model.doStream(raw("Once upon a time", { maxTokens: 200 }))).stream) {
      if (part.type === "text-delta") break;
    }
    const after = await model.doGenerate(raw("Once upon a time", { maxTokens: 40 }));
    expect(after.choices[0]?.text).toContain("Lily");
  });

  it("rejects a prompt longer than the context before evaluating it", async () => {
    const long = "Once upon a time there was a little girl. ".repeat(300);
    const tokens = (await model.countTokens?.(long)) ?? 0;
    expect(tokens).toBeGreaterThan(2048);
    const error = await model.doGenerate(raw(long)).catch((e: unknown) => e);
    expect(ContextLengthError.isInstance(error)).toBe(true);
    expect((error as ContextLengthError).contextSize).toBe(2048);
    await expect(model.doStream(raw(long))).rejects.toThrow(ContextLengthError);
  });

  it("embeds text deterministically with the model's 64-dim hidden state", async () => {
    const embedder = local.embeddingModel(STORIES);
    expect(embedder.dimensions).toBeUndefined();
    const first = await embedder.doEmbed({ values: ["The cat sat on the mat.", "A dog ran in the park."] });
    const second = await embedder.doEmbed({ values: ["The cat sat on the mat."] });
    expect(embedder.dimensions).toBe(64);
    expect(first.embeddings).toHaveLength(2);
    expect(first.embeddings[0]).toHaveLength(64);
    expect(second.embeddings[0]).toEqual(first.embeddings[0]);
    expect(first.embeddings[1]).not.toEqual(first.embeddings[0]);
    expect(first.usage?.tokens).toBeGreaterThan(0);
    await expect(embedder.doEmbed({ values: [""] })).rejects.toThrow(InvalidArgumentError);
    await expect(embedder.doEmbed({ values: ["word ".repeat(3000)] })).rejects.toThrow(ContextLengthError);
    await embedder.dispose?.();
    // The language model keeps working after the embedding context is freed.
    expect((await model.doGenerate(raw("Once upon a time", { maxTokens: 40 }))).choices[0]?.text).toContain("Lily");
  });

  it("finds a bare model name in the models folder, with or without .gguf", async () => {
    expect(await local.languageModel("stories260K").countTokens?.("Lily")).toBe(1);
    expect(await local.languageModel("stories260K.gguf").countTokens?.("Lily")).toBe(1);
  });

  it("reports a damaged GGUF file as a clear error", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "weft-local-bad-"));
    try {
      const truncated = path.join(dir, "truncated.gguf");
      writeFileSync(truncated, readFileSync(STORIES).subarray(0, 50_000));
      const error = await local
        .languageModel(truncated)
        .doGenerate(raw("x"))
        .catch((e: unknown) => e);
      expect(ModelNotFoundError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /truncated\.gguf is incomplete: it has 50,000 bytes but its tensors need at least/,
      );
      // The provider still serves good models after a failed load.
      const copy = path.join(dir, "copy.gguf");
      copyFileSync(STORIES, copy);
      expect(await local.languageModel(copy).countTokens?.("Lily")).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("frees the model on dispose and reloads it on the next call", async () => {
    const separate = createLocal({ threads: 1, contextSize: 512 });
    const m = separate.languageModel(STORIES);
    const before = await m.doGenerate(raw("Once upon a time", { maxTokens: 20 }));
    await m.dispose?.();
    const after = await m.doGenerate(raw("Once upon a time", { maxTokens: 20 }));
    expect(after.choices[0]?.text).toBe(before.choices[0]?.text);
    const tooLong = await m.doGenerate(raw("Once upon a time ".repeat(200))).catch((e: unknown) => e);
    expect((tooLong as ContextLengthError).contextSize).toBe(512);
    // A prompt that fits but leaves less room than maxTokens gets the room there is.
    const fits = await m.doGenerate(raw("Once upon a time ".repeat(100), { maxTokens: 500 }));
    expect(fits.warnings?.join(" ")).toMatch(/maxTokens was lowered from 500/);
    expect((fits.usage.inputTokens ?? 0) + (fits.usage.outputTokens ?? 0)).toBe(512);
    expect(fits.choices[0]?.finishReason).toBe("length");
    await separate.dispose();
  });
});

describe.skipIf(!hasRandom)("local provider on llama-2-tiny-random (Llama 2 tokenizer)", () => {
  let local: LocalProvider;
  let model: LanguageModel;

  beforeAll(() => {
    local = createLocal({ threads: 1 });
    model = local.languageModel(RANDOM);
  });

  afterAll(async () => {
    await local?.dispose();
  });

  it("counts tokens with the 32,000-token Llama 2 vocabulary", async () => {
    expect(await model.countTokens?.("The quick brown fox jumps over the lazy dog.")).toBe(12);
    expect(await model.countTokens?.("")).toBe(0);
  });

  it("chats through the fallback template and bounds a schema string with maxLength", async () => {
    const result = await model.doGenerate({
      messages: [{ role: "user", content: "Name?" }],
      temperature: 0,
      maxTokens: 40,
      responseFormat: {
        type: "json",
        schema: { type: "object", properties: { name: { type: "string", maxLength: 5 } }, required: ["name"] },
      },
    });
    const value = JSON.parse(result.choices[0]?.text ?? "");
    expect(value.name.length).toBeLessThanOrEqual(5);
    expect(result.usage.inputTokens).toBeGreaterThan(3);
  });
});
