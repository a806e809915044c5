import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocal, type LocalProvider } from "../../src/models/local/index.js";
import { generateWithPattern } from "../../src/programs/pattern.js";
import { gbnfLiteral, regexToGbnf } from "../../src/programs/regex-to-gbnf.js";
import { InvalidArgumentError, WeftError } from "../../src/spec/errors.js";
import type { LanguageModel } from "../../src/spec/language-model.js";
import { createMockLanguageModel } from "../../src/testing/index.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STORIES = path.join(repoRoot, "examples/models/stories260K.gguf");
const hasStories = existsSync(STORIES);
if (!hasStories) console.warn(`[pattern.test] skipping the local-model tests: ${STORIES} is missing.`);

describe("regexToGbnf", () => {
  it.each([
    ["\\d{3}-\\d{4}", 'root ::= [0-9]{3} "-" [0-9]{4}'],
    ["(yes|no)", 'root ::= ("yes" | "no")'],
    ["[A-Z][a-z]{2,5}", "root ::= [A-Z] [a-z]{2,5}"],
    ["^a+$", 'root ::= "a"+'],
    ["(ab)+c?", 'root ::= ("ab")+ "c"?'],
    ["(?:red|blue)(?<n>\\d)", 'root ::= ("red" | "blue") [0-9]'],
    ["x{2,}y*?", 'root ::= "x"{2,} "y"*'],
    ["\\w+\\.com", 'root ::= [0-9A-Z_a-z]+ ".com"'],
    ["[^,\\n]", "root ::= [^\\x0A,]"],
    ['"q"\\\\', 'root ::= "\\"q\\"\\\\"'],
    ["a|", 'root ::= ("a")?'],
    ["\\x41\\u00e9\\t", 'root ::= "Aé\\x09"'],
    [".", "root ::= [^\\x0A\\x0D\\u2028\\u2029]"],
    ["[\\d.-]", "root ::= [\\x2D.0-9]"],
  ])("converts /%s/", (pattern, grammar) => {
    expect(regexToGbnf(pattern)).toBe(grammar);
  });

  it.each([
    ["(?=a)b", "lookahead"],
    ["(?!a)b", "negative lookahead"],
    ["(?<=a)b", "lookbehind"],
    ["(?<!a)b", "negative lookbehind"],
    ["(a)\\1", "backreference \\1"],
    ["(?<x>a)\\k<x>", "named backreference"],
    ["\\bword", "word boundary \\b"],
    ["a^b", "anchor ^"],
    ["a$b", "anchor $"],
    ["\\p{L}", "Unicode property escape"],
  ])("names the unsupported construct in /%s/", (pattern, construct) => {
    expect(() => regexToGbnf(pattern)).toThrow(InvalidArgumentError);
    expect(() => regexToGbnf(pattern)).toThrow(construct);
  });

  it("rejects invalid regular expressions and empty classes", () => {
    expect(() => regexToGbnf("a(b")).toThrow(/not a valid JavaScript regular expression/);
    expect(() => regexToGbnf("a[]")).toThrow(/empty character class/);
  });

  it("escapes GBNF string literals", () => {
    expect(gbnfLiteral('say "hi"\n\\')).toBe('"say \\"hi\\"\\x0A\\\\"');
  });
});

describe.skipIf(!hasStories)("generateWithPattern on the local story model (grammar)", () => {
  let local: LocalProvider;
  let model: LanguageModel;

  beforeAll(() => {
    local = createLocal({ threads: 1 });
    model = local.languageModel(STORIES);
  });
  afterAll(async () => {
    await local?.dispose();
  });

  const patterns = [
    "\\d{3}-\\d{4}",
    "(yes|no)",
    "[A-Z][a-z]{2,5}",
    "(red|green|blue) (car|dog)s?",
    "-?\\d+(\\.\\d{1,2})?",
    "[^,\\]\\-]{3}",
    "\\S{4}",
    "[\\d\\s]{3}",
    ".{1,3}",
    "x{2,4}",
    "[a-z]{0,3}z",
    '"q"\\\\',
    "é[à-ü]",
    "(ab)+c?",
    "\\w{2,6}@\\w{2,6}\\.com",
  ];

  it.each(patterns)("samples text matching /%s/ whole, every time", async (pattern) => {
    const whole = new RegExp(`^(?:${pattern})$`);
    for (let i = 0; i < 3; i++) {
      const result = await generateWithPattern({
        model,
        rawPrompt: "Once upon a time",
        pattern,
        maxTokens: 40,
        temperature: 1,
      });
      expect(result.method).toBe("grammar");
      expect(result.attempts).toBe(1);
      expect(result.text).toMatch(whole);
      expect(result.costUsd).toBe(0);
    }
  });

  it("constrains a chat reply too", async () => {
    const result = await generateWithPattern({
      model,
      messages: [{ role: "user", content: "What is your phone number?" }],
      pattern: "\\d{3}-\\d{4}",
      maxTokens: 20,
      temperature: 0,
    });
    expect(result.text).toMatch(/^\d{3}-\d{4}$/);
  });

  it("says to raise maxTokens when the output is cut before the pattern is complete", async () => {
    const attempt = generateWithPattern({ model, rawPrompt: "Once", pattern: "[a-z]{30}", maxTokens: 3 });
    await expect(attempt).rejects.toThrow(/raise maxTokens/);
    await expect(attempt).rejects.toMatchObject({ code: "pattern-mismatch" });
  });
});

describe("generateWithPattern without grammars (validate and retry)", () => {
  it("feeds the mismatch back and accepts the repaired reply", async () => {
    const model = createMockLanguageModel({ reply: ["Sure! It is 555-1234.", "555-1234"] });
    const result = await generateWithPattern({
      model,
      messages: [{ role: "user", content: "A phone number?" }],
      pattern: "\\d{3}-\\d{4}",
    });
    expect(result).toMatchObject({ text: "555-1234", method: "validate-retry", attempts: 2 });
    expect(result.usage.outputTokens).toBe(4 + 1);
    const first = model.calls[0]?.messages.at(-1);
    expect(String(first?.content)).toContain("/\\d{3}-\\d{4}/");
    const repair = model.calls[1]?.messages ?? [];
    expect(repair.at(-2)).toEqual({ role: "assistant", content: "Sure! It is 555-1234." });
    expect(String(repair.at(-1)?.content)).toContain('it contains the match "555-1234" but also other text');
  });

  it("accepts a reply that matches once surrounding whitespace is trimmed", async () => {
    const model = createMockLanguageModel({ reply: "  yes\n" });
    const result = await generateWithPattern({ model, messages: [{ role: "user", content: "?" }], pattern: "yes|no" });
    expect(result).toMatchObject({ text: "yes", attempts: 1 });
  });

  it("gives up after maxRepairs with a WeftError that says what to do", async () => {
    const model = createMockLanguageModel({ reply: "no idea" });
    const attempt = generateWithPattern({
      model,
      messages: [{ role: "user", content: "?" }],
      pattern: "\\d+",
      maxRepairs: 1,
    });
    await expect(attempt).rejects.toThrow(WeftError);
    await expect(attempt).rejects.toMatchObject({ code: "pattern-mismatch" });
    await expect(attempt).rejects.toThrow(/after 2 attempt\(s\).*Raise maxRepairs/);
    expect(model.calls).toHaveLength(2);
  });

  it("validates a pattern a grammar cannot express, even on a grammar model", async () => {
    const model = createMockLanguageModel({ reply: "abc", capabilities: { grammar: true } });
    const result = await generateWithPattern({ model, rawPrompt: "x", pattern: "(?!z)[a-c]+" });
    expect(result.method).toBe("validate-retry");
    expect(model.calls[0]?.grammar).toBeUndefined();
  });

  it("sends the converted grammar to a grammar model", async () => {
    const model = createMockLanguageModel({ reply: "42", capabilities: { grammar: true } });
    const result = await generateWithPattern({ model, rawPrompt: "x", pattern: "\\d+" });
    expect(result).toMatchObject({ text: "42", method: "grammar" });
    expect(model.calls[0]?.grammar).toBe("root ::= [0-9]+");
  });

  it("does not resample a greedy raw completion that cannot be told what was wrong", async () => {
    const model = createMockLanguageModel({ reply: "nope" });
    await expect(
      generateWithPattern({ model, rawPrompt: "Number: ", pattern: "\\d+", temperature: 0 }),
    ).rejects.toThrow(/after 1 attempt/);
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0]?.rawPrompt).toBe("Number: ");
  });

  it("rejects an invalid pattern before calling the model", async () => {
    const model = createMockLanguageModel();
    await expect(generateWithPattern({ model, rawPrompt: "x", pattern: "(" })).rejects.toThrow(InvalidArgumentError);
    expect(model.calls).toHaveLength(0);
  });
});
