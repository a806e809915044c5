import { describe, expect, it } from "vitest";
import { costOf } from "../../../src/models/model-facts.js";
import {
  chainOfThought,
  chainOfThoughtSuffix,
  choiceAnswer,
  gsm8kAnswer,
  numberAnswer,
} from "../../../src/programs/techniques/index.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";

describe("chainOfThoughtSuffix", () => {
  it("joins the reasoning trigger and the format's instruction", () => {
    expect(chainOfThoughtSuffix({ format: gsm8kAnswer() })).toBe(
      `Let's think step by step.\n${gsm8kAnswer().instruction}`,
    );
    expect(chainOfThoughtSuffix({ style: "structured", format: numberAnswer() })).toMatch(
      /^Before answering, reason in numbered steps.*\nEnd with a final line of the form "The answer is <number>\."$/,
    );
    expect(chainOfThoughtSuffix({ style: "none", format: choiceAnswer() })).toBe(choiceAnswer().instruction);
  });
});

describe("chainOfThought", () => {
  it("appends the suffix to the prompt, returns reasoning and answer, and prices the call", async () => {
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: "The book costs 2 + 5 = 7 dollars.\nTogether: 2 + 7 = 9 dollars.\nThe answer is 9.",
    });
    const result = await chainOfThought({
      model,
      system: "You are careful with arithmetic.",
      prompt: "A pen costs $2 and a book $5 more. What do both cost?",
      format: numberAnswer(),
      temperature: 0,
    });
    expect(result).toMatchObject({
      reasoning: "The book costs 2 + 5 = 7 dollars.\nTogether: 2 + 7 = 9 dollars.",
      answer: "9",
      rawAnswer: "9",
      calls: 1,
      model: "openai:gpt-4o-mini",
    });
    const sent = model.calls[0];
    expect(sent?.temperature).toBe(0);
    expect(sent?.messages).toEqual([
      { role: "system", content: "You are careful with arithmetic." },
      {
        role: "user",
        content: `A pen costs $2 and a book $5 more. What do both cost?\n\n${chainOfThoughtSuffix({ format: numberAnswer() })}`,
      },
    ]);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.costUsd).toBe(costOf({ provider: "openai", modelId: "gpt-4o-mini", usage: result.usage }));
  });

  it("adds the suffix to the last user message and leaves the caller's messages untouched", async () => {
    const model = createMockLanguageModel({ reply: "Paris is the capital. The answer is Paris." });
    const messages = [
      { role: "user" as const, content: "Capital of France?" },
      { role: "assistant" as const, content: "Let me check." },
      { role: "user" as const, content: "Go on." },
    ];
    const result = await chainOfThought({ model, messages, style: "none" });
    expect(result.answer).toBe("paris");
    expect(messages[2]?.content).toBe("Go on.");
    expect(model.calls[0]?.messages[2]).toEqual({
      role: "user",
      content: `Go on.\n\n${chainOfThoughtSuffix({ style: "none" })}`,
    });
  });

  it("reports a reply without a final answer as reasoning only", async () => {
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "my-unpriced-fine-tune",
      reply: "I am not sure how to solve this.",
    });
    const result = await chainOfThought({ model, prompt: "Q", format: gsm8kAnswer(), suffix: "Custom suffix" });
    expect(result.answer).toBeUndefined();
    expect(result.reasoning).toBe("I am not sure how to solve this.");
    expect(model.calls[0]?.messages.at(-1)?.content).toBe("Q\n\nCustom suffix");
    expect(result.costUsd).toBeNull(); // unknown price: null, never a silent 0
  });
});
