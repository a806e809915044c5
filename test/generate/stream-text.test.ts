import { describe, expect, it } from "vitest";
import { streamText } from "../../src/generate/index.js";
import { InvalidResponseError, RateLimitError } from "../../src/spec/errors.js";
import type { LanguageModel, StreamPart } from "../../src/spec/language-model.js";
import { createMockLanguageModel } from "../../src/testing/index.js";

function modelWithStream(parts: Array<StreamPart | Error>): LanguageModel {
  const base = createMockLanguageModel();
  return {
    ...base,
    async doStream() {
      async function* gen() {
        for (const p of parts) {
          if (p instanceof Error) throw p;
          yield p;
        }
      }
      return { stream: gen() };
    },
  };
}

describe("streamText", () => {
  it("streams text deltas and resolves usage and cost at the end", async () => {
    const model = createMockLanguageModel({ provider: "openai", modelId: "gpt-4o-mini", reply: "one two three" });
    const result = streamText({ model, prompt: "count" });
    const deltas: string[] = [];
    for await (const d of result.textStream) deltas.push(d);
    expect(deltas).toEqual(["one", " two", " three"]);
    const done = await result.done;
    expect(done.text).toBe("one two three");
    expect(done.usage.outputTokens).toBe(3);
    expect(done.costUsd).not.toBeNull();
    expect(done.firstTokenMs).not.toBeNull();
  });

  it("lets textStream and fullStream both read the same single call", async () => {
    const model = createMockLanguageModel({ reply: "a b" });
    const result = streamText({ model, prompt: "x" });
    const [texts, parts] = await Promise.all([
      (async () => {
        const out: string[] = [];
        for await (const t of result.textStream) out.push(t);
        return out;
      })(),
      (async () => {
        const out: StreamPart[] = [];
        for await (const p of result.fullStream) out.push(p);
        return out;
      })(),
    ]);
    expect(texts.join("")).toBe("a b");
    expect(parts.at(-1)?.type).toBe("finish");
    expect(model.calls).toHaveLength(1);
  });

  it("starts the call when only a promise is read", async () => {
    const model = createMockLanguageModel({ reply: "lazy" });
    const result = streamText({ model, prompt: "x" });
    expect(model.calls).toHaveLength(0);
    expect(await result.text).toBe("lazy");
  });

  it("retries failures that happen before the stream starts", async () => {
    const model = createMockLanguageModel({
      reply: [new RateLimitError({ provider: "mock", retryAfterMs: 1 }), "second"],
    });
    const result = streamText({ model, prompt: "x" });
    expect(await result.text).toBe("second");
    expect((await result.done).attempts).toBe(2);
  });

  it("ends the streams with the error when the stream breaks mid-way", async () => {
    const broken = new InvalidResponseError({ provider: "mock", detail: "cut" });
    const model = modelWithStream([{ type: "text-delta", delta: "par" }, broken]);
    const result = streamText({ model, prompt: "x" });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const t of result.textStream) seen.push(t);
      })(),
    ).rejects.toBe(broken);
    expect(seen).toEqual(["par"]);
    await expect(result.done).rejects.toBe(broken);
  });

  it("treats a stream with no finish part as an invalid response", async () => {
    const model = modelWithStream([{ type: "text-delta", delta: "x" }]);
    await expect(streamText({ model, prompt: "x" }).text).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
