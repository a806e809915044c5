import { describe, expect, it } from "vitest";
import { buildTaskPrompt, checkPrompt, critiquePrompt, type TaskSpec } from "../../../src/programs/techniques/index.js";
import { ObjectValidationError } from "../../../src/spec/errors.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";

const spec: TaskSpec = {
  role: "an experienced site-reliability engineer who writes for customers",
  goal: "Write the public incident summary for the outage described in the context.",
  audience: "Customers of our hosting service, most without a technical background.",
  context: [
    "On 3 May the EU database cluster was unreachable from 14:02 to 14:41 UTC.",
    "A configuration push removed a firewall rule.",
  ],
  constraints: ["Do not name employees.", "Do not speculate about causes not in the context."],
  outputFormat: "Three paragraphs: what happened, who was affected, what we changed.",
  length: "At most 150 words.",
  tone: "Plain, calm, accountable.",
  examples: [
    {
      input: "Outage of the US mail relay, 20 minutes.",
      output: "On 2 April, email sent through our US relay...",
      note: "Starts with the date.",
    },
  ],
  successCriteria: ["A customer can tell within ten seconds whether they must act.", "Every time is in UTC."],
};

describe("buildTaskPrompt", () => {
  it("renders every field in a fixed order as markdown", () => {
    expect(buildTaskPrompt(spec)).toBe(
      [
        "You are an experienced site-reliability engineer who writes for customers.",
        "## Goal\nWrite the public incident summary for the outage described in the context.",
        "## Audience\nCustomers of our hosting service, most without a technical background.",
        "## Context\nOn 3 May the EU database cluster was unreachable from 14:02 to 14:41 UTC.\n\nA configuration push removed a firewall rule.",
        "## Constraints\n- Do not name employees.\n- Do not speculate about causes not in the context.",
        "## Tone\nPlain, calm, accountable.",
        "## Output format\nThree paragraphs: what happened, who was affected, what we changed.\nLength: At most 150 words.",
        "## Examples\n### Example 1\nInput:\nOutage of the US mail relay, 20 minutes.\nOutput:\nOn 2 April, email sent through our US relay...\nNote:\nStarts with the date.",
        "## Success criteria\n- A customer can tell within ten seconds whether they must act.\n- Every time is in UTC.",
      ].join("\n\n"),
    );
  });

  it("uses xml tags when asked, keeps a 'You are' role as written and leaves out empty fields", () => {
    const text = buildTaskPrompt(
      {
        role: "You are a patient maths tutor.",
        goal: "Explain fractions.",
        examples: ["1/2 is one of two equal parts."],
        constraints: [],
      },
      { style: "xml" },
    );
    expect(text).toBe(
      'You are a patient maths tutor.\n\n<goal>\nExplain fractions.\n</goal>\n\n<examples>\n<example index="1">\n1/2 is one of two equal parts.\n</example>\n</examples>',
    );
  });
});

describe("checkPrompt", () => {
  it("passes a complete task spec", () => {
    const result = checkPrompt(spec);
    expect(result.issues).toEqual([]);
    expect(result).toMatchObject({ ok: true, score: 1 });
  });

  it("reports every missing section of a one-line prompt, with the contractor's question", () => {
    const result = checkPrompt("Summarise it.");
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual([
      "no-role",
      "no-audience",
      "no-context",
      "no-constraints",
      "no-output-format",
      "no-length",
      "no-examples",
      "no-success-criteria",
      "ambiguous-reference",
      "too-short",
    ]);
    expect(result.passed).toEqual(["no-goal", "vague-wording"]);
    expect(result.score).toBeCloseTo(2 / 12, 12);
    expect(result.issues.find((i) => i.code === "no-length")?.question).toBe("How long should it be?");
    expect(result.issues.find((i) => i.code === "ambiguous-reference")).toMatchObject({
      severity: "unclear",
      excerpts: ["Summarise it."],
    });
  });

  it("finds references to context the reader never had and vague words", () => {
    const result = checkPrompt(
      "Write the quarterly update as discussed, like last time, and make it nicer so things look better etc.",
    );
    expect(result.issues.find((i) => i.code === "ambiguous-reference")?.excerpts).toEqual([
      "as discussed",
      "like last time",
    ]);
    expect(result.issues.find((i) => i.code === "vague-wording")?.excerpts).toEqual(["things", "better", "etc."]);
    expect(
      checkPrompt("It crashes on upload, please look.").issues.find((i) => i.code === "ambiguous-reference"),
    ).toBeDefined();
    expect(checkPrompt("Summarise this text:\n\nThe board met on Monday.").issues.map((i) => i.code)).not.toContain(
      "ambiguous-reference",
    );
  });

  it("recognises each section in plain text", () => {
    const prompt = [
      "You are a senior copy editor.",
      "We are a small bakery; the text will be used on our website so that customers can order for holidays.",
      "Rewrite the holiday ordering notice for customers who are not tech-savvy.",
      "Format: a bulleted list of at most 5 bullets. Do not mention prices.",
      "For example: '- Order by 20 December for pickup on the 24th.'",
      "A good result lets a customer place an order without calling us.",
    ].join("\n");
    expect(checkPrompt(prompt)).toMatchObject({ ok: true, issues: [] });
    expect(checkPrompt(prompt.replace("For example: ", "")).issues.map((i) => i.code)).toEqual(["no-examples"]);
  });

  it("skips ignored checks and reports a spec's missing fields", () => {
    const result = checkPrompt({ goal: "Translate the menu into French." }, { ignore: ["no-examples", "no-role"] });
    expect(result.issues.map((i) => i.code)).toEqual([
      "no-audience",
      "no-context",
      "no-constraints",
      "no-output-format",
      "no-length",
      "no-success-criteria",
    ]);
    expect(result.passed).toEqual(["no-goal", "ambiguous-reference", "vague-wording"]);
    expect(checkPrompt({ goal: "" }).issues[1]?.code).toBe("no-goal");
  });
});

describe("critiquePrompt", () => {
  const critique = {
    problems: [{ problem: "No audience", fix: "Say the notice is for customers." }],
    questions: ["Who reads this?"],
    rewrite: "You are a copy editor. Rewrite the notice for [audience] in [length].",
  };

  it("sends the prompt with the checklist's findings and returns the model's critique", async () => {
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: JSON.stringify(critique),
    });
    const result = await critiquePrompt({ model, prompt: "Rewrite the notice.", temperature: 0 });
    expect(result).toMatchObject({ ...critique, calls: 1, model: "openai:gpt-4o-mini" });
    expect(result.checklist.issues.map((i) => i.code)).toContain("no-audience");
    expect(result.costUsd).toBeGreaterThan(0);
    const sent = model.calls[0]?.messages.map((m) => String(m.content)).join("\n") ?? "";
    expect(sent).toContain("<prompt>\nRewrite the notice.\n</prompt>");
    expect(sent).toContain("- no-audience: No audience");
    expect(sent).toContain("cannot email the author back");
    expect(model.calls[0]?.temperature).toBe(0);
  });

  it("repairs invalid output once and counts both calls", async () => {
    const model = createMockLanguageModel({ reply: ['{"problems": "none"}', JSON.stringify(critique)] });
    const result = await critiquePrompt({ model, prompt: spec });
    expect(result.calls).toBe(2);
    expect(result.rewrite).toBe(critique.rewrite);
    expect(String(model.calls[0]?.messages.at(-1)?.content)).toContain("## Goal");
  });

  it("fails with ObjectValidationError when the model never returns a critique", async () => {
    const model = createMockLanguageModel({ reply: "Looks fine to me." });
    await expect(critiquePrompt({ model, prompt: "x", maxRepairs: 1 })).rejects.toBeInstanceOf(ObjectValidationError);
    expect(model.calls).toHaveLength(2);
  });
});
