import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extractJson, generateObject } from "../../src/generate/index.js";
import { InvalidArgumentError, ObjectValidationError } from "../../src/spec/errors.js";
import { createMockLanguageModel } from "../../src/testing/index.js";

const city = z.object({ city: z.string(), population: z.number().int().positive() });

describe("generateObject", () => {
  it("uses native structured output when the model declares it, passing the JSON schema", async () => {
    const model = createMockLanguageModel({
      capabilities: { jsonSchema: true },
      reply: '{"city":"Tokyo","population":14000000}',
    });
    const r = await generateObject<z.infer<typeof city>>({ model, schema: city, prompt: "Largest city in Japan?" });
    expect(r.object).toEqual({ city: "Tokyo", population: 14000000 });
    expect(r.method).toBe("native");
    const format = model.calls[0]?.responseFormat;
    expect(format?.type).toBe("json");
    expect(format && "schema" in format && format.schema).toMatchObject({
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city", "population"],
    });
  });

  it("uses the grammar path on models that constrain decoding", async () => {
    const model = createMockLanguageModel({
      capabilities: { jsonSchema: true, grammar: true },
      reply: '{"city":"Oslo","population":700000}',
    });
    const r = await generateObject({ model, schema: city, prompt: "x" });
    expect(r.method).toBe("grammar");
    // The grammar enforces the schema, so no schema instruction is prepended.
    expect(model.calls[0]?.messages[0]?.role).toBe("user");
  });

  it("feeds validation errors back and repairs, on models without structured output", async () => {
    const model = createMockLanguageModel({
      reply: [
        'Sure! Here it is: {"city": "Paris", "population": -5}',
        '```json\n{"city":"Paris","population":2100000}\n```',
      ],
    });
    const r = await generateObject({ model, schema: city, prompt: "Capital of France?" });
    expect(r.object).toEqual({ city: "Paris", population: 2100000 });
    expect(r.method).toBe("prompt");
    expect(r.attempts).toBe(2);
    const second = model.calls[1]?.messages ?? [];
    const feedback = second.at(-1);
    expect(feedback?.role).toBe("user");
    expect(String(feedback?.content)).toContain("/population");
    expect(second.some((m) => m.role === "system" && String(m.content).includes('"population"'))).toBe(true);
  });

  it("accepts a plain JSON Schema and validates with it", async () => {
    const schema = {
      type: "object",
      properties: { ok: { type: "boolean" } },
      required: ["ok"],
      additionalProperties: false,
    };
    const model = createMockLanguageModel({ reply: ['{"ok":"yes"}', '{"ok":true}'] });
    const r = await generateObject({ model, schema, prompt: "x" });
    expect(r.object).toEqual({ ok: true });
    expect(String(model.calls[1]?.messages.at(-1)?.content)).toContain("/ok");
  });

  it("throws ObjectValidationError with the issues after maxRepairs", async () => {
    const model = createMockLanguageModel({ reply: "not json at all" });
    const error = await generateObject({ model, schema: city, prompt: "x", maxRepairs: 1 }).catch((e) => e);
    expect(ObjectValidationError.isInstance(error)).toBe(true);
    expect(error.issues[0].message).toMatch(/not valid JSON/);
    expect(model.calls).toHaveLength(2);
  });

  it("rejects an invalid JSON Schema with a clear message", async () => {
    const model = createMockLanguageModel();
    await expect(generateObject({ model, schema: { type: "no-such-type" }, prompt: "x" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it("sums usage over repairs", async () => {
    const model = createMockLanguageModel({
      reply: [
        { text: "{}", usage: { inputTokens: 10, outputTokens: 1 } },
        { text: '{"city":"Rome","population":2800000}', usage: { inputTokens: 20, outputTokens: 9 } },
      ],
    });
    const r = await generateObject({ model, schema: city, prompt: "x" });
    expect(r.usage.inputTokens).toBe(30);
    expect(r.usage.outputTokens).toBe(10);
  });
});

describe("extractJson", () => {
  it("finds JSON inside prose and code fences", () => {
    expect(extractJson('Answer: {"a": [1, 2]} done')).toEqual({ success: true, value: { a: [1, 2] } });
    expect(extractJson("```json\n[1]\n```")).toEqual({ success: true, value: [1] });
    expect(extractJson("nothing here").success).toBe(false);
  });
});
