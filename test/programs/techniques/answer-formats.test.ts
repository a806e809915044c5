import { describe, expect, it } from "vitest";
import {
  choiceAnswer,
  extractAnswer,
  gsm8kAnswer,
  normalizeNumber,
  normalizeText,
  numberAnswer,
  parseReasoning,
  phraseAnswer,
  regexAnswer,
} from "../../../src/programs/techniques/index.js";

describe("normalisers", () => {
  it("make equal numbers compare equal", () => {
    for (const raw of ["1,000", "1000.0", "$1,000.00", "1000", " 1 000 "]) expect(normalizeNumber(raw)).toBe("1000");
    expect(normalizeNumber("-3.50")).toBe("-3.5");
    expect(normalizeNumber("-0")).toBe("0");
    expect(normalizeNumber("£.5")).toBe("0.5");
    expect(normalizeNumber("no digits")).toBeUndefined();
  });

  it("strip emphasis, quotes, final punctuation and case from text", () => {
    expect(normalizeText('**"Paris."**')).toBe("paris");
    expect(normalizeText("  New   York!  ")).toBe("new york");
    expect(normalizeText(" ** ")).toBeUndefined();
  });
});

describe("answer formats", () => {
  it("number: prefers ####, then 'answer is', then the last number", () => {
    const f = numberAnswer();
    expect(extractAnswer("I had 3, then 4.\n#### 7\nThe answer is 9", f)?.answer).toBe("7");
    expect(extractAnswer("3 and 4 make 7. So the answer is $1,007.00.", f)).toEqual({
      answer: "1007",
      raw: "$1,007.00",
      index: 16,
    });
    expect(extractAnswer("She has 12 apples, so 15 in all", f)?.answer).toBe("15");
    expect(extractAnswer("The answer is 5? No, the answer is -6.", f)?.answer).toBe("-6");
    expect(extractAnswer("I cannot tell.", f)).toBeUndefined();
  });

  it("gsm8k: only the number after the last ####", () => {
    const f = gsm8kAnswer();
    expect(extractAnswer("48/2 = <<48/2=24>>24\n#### 1,080", f)).toEqual({ answer: "1080", raw: "1,080", index: 21 });
    expect(extractAnswer("The answer is 72.", f)).toBeUndefined();
    expect(f.instruction).toContain("####");
  });

  it("phrase: the text after the last 'answer is'", () => {
    const f = phraseAnswer();
    expect(extractAnswer("My first answer is Lyon. On reflection the answer is **Paris**.", f)?.answer).toBe("paris");
    expect(extractAnswer("Final answer: Blue whale", f)?.answer).toBe("blue whale");
    expect(extractAnswer("No idea.", f)).toBeUndefined();
  });

  it("choice: letters are case-sensitive so 'a' is not choice A", () => {
    const f = choiceAnswer();
    expect(extractAnswer("Option (b) is a trap, so the answer is (D).", f)?.answer).toBe("D");
    expect(extractAnswer("It's a hard one. Answer: C", f)?.answer).toBe("C");
    expect(extractAnswer("Both look fine but (B) is cheaper.", f)?.answer).toBe("B");
    expect(extractAnswer("Reasoning first.\nE\n", f)?.answer).toBe("E");
    expect(extractAnswer("This is a question about a dog.", f)).toBeUndefined();
    const words = choiceAnswer({ choices: ["yes", "no"] });
    expect(extractAnswer("So the answer is No.", words)?.answer).toBe("no");
    expect(extractAnswer("The answer is maybe.", words)).toBeUndefined();
  });

  it("regex: the last match, group 1 by default", () => {
    expect(extractAnswer("Result: 1 ... Result: 42 units", regexAnswer(/Result:\s*(\d+)/))?.answer).toBe("42");
    expect(extractAnswer("id=abc-7", regexAnswer(/[a-z]+-\d/))?.answer).toBe("abc-7");
    expect(extractAnswer("v=1,234", regexAnswer(/v=([\d,]+)/, { normalize: normalizeNumber }))?.answer).toBe("1234");
  });
});

describe("parseReasoning", () => {
  it("splits the reasoning from the final-answer sentence", () => {
    expect(parseReasoning("6 * 7 = 42.\nThe answer is 42.", numberAnswer())).toEqual({
      reasoning: "6 * 7 = 42.",
      answer: "42",
      rawAnswer: "42",
    });
    expect(parseReasoning("Half of 48 is 24. So the answer is 72.", numberAnswer()).reasoning).toBe(
      "Half of 48 is 24.",
    );
  });

  it("keeps the whole text as reasoning when the answer sits inside it, or is missing", () => {
    expect(parseReasoning("48 + 24 = 72", numberAnswer())).toEqual({
      reasoning: "48 + 24 = 72",
      answer: "72",
      rawAnswer: "72",
    });
    expect(parseReasoning("Hmm.", gsm8kAnswer())).toEqual({ reasoning: "Hmm." });
  });
});
