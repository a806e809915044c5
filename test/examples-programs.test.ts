import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");
const hasStories = existsSync(resolve(root, "examples/models/stories260K.gguf"));
if (!hasStories) console.warn("[examples-programs] skipping the local-model tutorials: stories260K.gguf is missing.");

describe("the template tutorial, cell by cell", () => {
  it("01 template: variables fill in", async () => {
    const { main } = await import("../examples/programs/tutorial-01-template.js");
    expect(await main()).toEqual({ source: "What is {{example}}?", transcript: "What is truth?" });
  });

  it("02 objects: each, comments and ~ follow handlebars' whitespace rules", async () => {
    const { main } = await import("../examples/programs/tutorial-02-objects.js");
    const { tutorial, standalone } = await main();
    expect(tutorial).toBe(
      "List of people:\n- John- Mary- Bob- AliceList of ideas:\ntruth: the state of being the case\nlove: a strong feeling of affection\n",
    );
    expect(standalone).toBe(
      "List of people:\n- John\n- Mary\n- Bob\n- Alice\nList of ideas:\ntruth: the state of being the case\nlove: a strong feeling of affection\n",
    );
  });

  it("03 partials: one program includes another", async () => {
    const { main } = await import("../examples/programs/tutorial-03-partials.js");
    expect(await main()).toBe(
      "List of people:\n- John\n- Mary\n- Bob\n- Alice\nList of ideas:\ntruth: the state of being the case\nlove: a strong feeling of affection\n",
    );
  });

  it("04 gen: the model continues the raw text with the tag's settings", async () => {
    const { main } = await import("../examples/programs/tutorial-04-gen.js");
    expect(await main()).toEqual({
      best: " that it is a place to relax",
      sent: { rawPrompt: "The best thing about the beach is", maxTokens: 7, temperature: 0.7 },
    });
  });

  it("05 cache: a repeated gen is served from the cache until it is cleared", async () => {
    const { main } = await import("../examples/programs/tutorial-05-cache.js");
    expect(await main()).toEqual({ modelCalls: [1, 1, 2], best: " the sound of the waves" });
  });

  it("06 select: the choice and each option's logprob, read from returned logprobs", async () => {
    const { main } = await import("../examples/programs/tutorial-06-select.js");
    expect(await main()).toEqual({
      answer: " Maybe",
      logprobs: { " Yes": -1.5689583, " No": -7.332395, " Maybe": -0.23746304 },
      method: "logprobs",
    });
  });

  it("07 gen then select, in order", async () => {
    const { main } = await import("../examples/programs/tutorial-07-gen-select.js");
    expect(await main()).toEqual({
      response: " That's too bad! Tacos are one of my favorite meals.",
      answer: " No",
      methods: ["generate", "prompt"],
    });
  });

  it("08 hidden: generated out of sight, variable still usable", async () => {
    const { main } = await import("../examples/programs/tutorial-08-hidden.js");
    const r = await main();
    expect(r.transcript.startsWith("\nI will show you an email")).toBe(true);
    expect(r.transcript).toContain("Response:  That's too bad!");
    expect(r.hidden).toContain("Generate a response to the following email:\nI hate tacos.\nResponse:");
    expect(r.selectSawHiddenText).toBe(false);
  });

  it("09 n>1 gives a list", async () => {
    const { main } = await import("../examples/programs/tutorial-09-n.js");
    expect(await main()).toHaveLength(3);
  });

  it("10 functions receive generated values", async () => {
    const { main } = await import("../examples/programs/tutorial-10-functions.js");
    expect(await main()).toBe(
      "The best thing about the beach is\n-  the peaceful atmosphere\n-  the feeling of relaxation\n-  the sand between your toes",
    );
  });

  it("11 await: stop, then resume twice from one state", async () => {
    const { main } = await import("../examples/programs/tutorial-11-await.js");
    expect(await main()).toEqual({
      awaiting: "instruction",
      portuguese: "Olá! Como posso ajudar?",
      chinese: "你好！我能为你做些什么？",
      modelCalls: 3,
    });
  });

  it("12 chat: role blocks become messages", async () => {
    const { main } = await import("../examples/programs/tutorial-12-chat.js");
    const r = await main();
    expect(r.sent).toEqual([
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "What is the meaning of life?" },
    ]);
    expect(r.messages).toHaveLength(3);
    expect(r.transcript).toMatch(
      /^<\|im_start\|>system\nYou are a helpful assistant\.<\|im_end\|>\n<\|im_start\|>user\n/,
    );
  });

  it("13 chat: the second question sees the first answer", async () => {
    const { main } = await import("../examples/programs/tutorial-13-chat-experts.js");
    const r = await main();
    expect(r.secondCallRoles).toEqual(["system", "user", "assistant", "user"]);
    expect(r.variables.answer).toMatch(/^ANSWER:/);
  });

  it("14 chat: a hidden exchange is not part of the later conversation", async () => {
    const { main } = await import("../examples/programs/tutorial-14-chat-hidden.js");
    const r = await main();
    expect(r.secondCall).toEqual([
      { role: "system", content: "You are a helpful assistant." },
      {
        role: "user",
        content:
          "Is the following joke funny? Why or why not?\nWhy did the chicken cross the playground?\nTo get to the other slide!",
      },
    ]);
    expect(r.transcript).not.toContain("Please tell me a joke");
  });

  it("15 agents: a conversation loop driven by await", async () => {
    const { main } = await import("../examples/programs/tutorial-15-agents.js");
    expect(await main()).toEqual({
      conversation: [
        { user_text: "hi there", ai_text: "Hello! How can I help you today?" },
        {
          user_text: "What is the meaning of life?",
          ai_text: "That is a difficult question. What do you think it is?",
        },
        {},
      ],
      awaiting: "user_text",
      modelCalls: 2,
    });
  });

  it("16 tools: helpers decide and fetch, the answer uses the results", async () => {
    const { main } = await import("../examples/programs/tutorial-16-tools.js");
    const r = await main();
    expect(r.answer).toBe("Facebook's stock price right now is $197.81.");
    expect(r.lastPrompt?.role).toBe("user");
    expect(r.lastPrompt?.content).toContain("<result>\nMeta Platforms stock quote\n");
    // system, instructions, ok, 4 practice turns, "another one", "sounds good", question, search, results, answer
    expect(r.turns).toBe(13);
  });

  it.skipIf(!hasStories)("17 local select: finite logprobs and the argmax wins", async () => {
    const { main } = await import("../examples/programs/tutorial-17-local-select.js");
    const r = await main();
    const values = Object.values(r.logprobs);
    expect(values).toHaveLength(4);
    for (const v of values) expect(Number.isFinite(v)).toBe(true);
    expect(r.logprobs[r.who]).toBe(Math.max(...values));
    expect(r.method).toBe("score");
  });

  it.skipIf(!hasStories)("18 local JSON: patterns hold and the output parses", async () => {
    const { main } = await import("../examples/programs/tutorial-18-local-json.js");
    const r = await main();
    expect(r.profile.name).toMatch(/^[A-Z][a-z]{2,9}$/);
    expect(String(r.variables.age)).toMatch(/^[1-9][0-9]?$/);
    expect(["leather", "chainmail", "plate"]).toContain(r.profile.armor);
    expect(["sword", "axe", "mace", "spear", "bow", "crossbow"]).toContain(r.profile.weapon);
    expect(r.profile.items).toHaveLength(3);
    expect(r.methods).toEqual(expect.arrayContaining(["gen:grammar", "select:score"]));
  });

  it("19 streaming: deltas arrive in order and add up to the transcript", async () => {
    const { main } = await import("../examples/programs/tutorial-19-streaming.js");
    const r = await main();
    expect(r.deltas.join("")).toBe(r.transcript);
    expect(r.deltas.length).toBeGreaterThan(10);
    expect(r.transcript.endsWith("- GPT 11:14")).toBe(true);
    expect(r.rewrite).toBe(", a model fails,\nbut in an abundance of instructions there is safety.");
  });

  it("20 rich structure: few-shot examples, generated fields, a final select", async () => {
    const { main } = await import("../examples/programs/tutorial-20-anachronism.js");
    const r = await main();
    expect(r.answer).toBe(" Yes");
    expect(r.firstPrompt).toContain("---\nSentence: The T-rex bit my dog\nEntities and dates:\n");
    expect(r.transcript).toContain("Anachronism: No\n---\nSentence: Shakespeare wrote about me");
  });

  it("21 plan: hidden steps feed a helper; the last call sees only the plan", async () => {
    const { main } = await import("../examples/programs/tutorial-21-plan.js");
    const r = await main();
    expect(r.options).toHaveLength(5);
    expect(r.planPrompt).toEqual([
      { role: "system", content: "You are a helpful assistant." },
      {
        role: "user",
        content:
          "I want to read more books.\nHere is my plan:\nJoin a book club.\nPlease elaborate on this plan, and tell me how to best accomplish it.",
      },
    ]);
  });

  it("22 role simulator: two agents alternate through await", async () => {
    const { main } = await import("../examples/programs/tutorial-22-role-simulator.js");
    const r = await main();
    expect(r.dialogue).toEqual([
      "Democrat: What do you think is the best way to stop inflation?",
      "Republican: point number 1.",
      "Democrat: point number 1.",
      "Republican: point number 2.",
      "Democrat: point number 2.",
      "Republican: point number 3.",
      "Democrat: point number 3.",
    ]);
    expect(r).toMatchObject({ republicanCalls: 3, democratCalls: 3 });
  });
});
