import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/programs/template/errors.js";
import { compileProgram } from "../../src/programs/template/parse.js";
import { runProgram, streamProgram } from "../../src/programs/template/run-program.js";
import { AbortError } from "../../src/spec/errors.js";
import type { ScoreOptions } from "../../src/spec/language-model.js";
import { createMockLanguageModel, type MockLanguageModelOptions } from "../../src/testing/mock-language-model.js";

/** A mock that scores continuations like a local model does, with fixed log probabilities. */
function scoringModel(scores: Record<string, number>, options: MockLanguageModelOptions = {}) {
  const scored: ScoreOptions[] = [];
  const model = createMockLanguageModel(options);
  return Object.assign(model, {
    scored,
    async doScore(o: ScoreOptions) {
      scored.push(o);
      return {
        continuations: o.continuations.map((c) => ({ logprob: scores[c] ?? -20, tokens: [] })),
        usage: { inputTokens: 4, outputTokens: 0, totalTokens: 4 },
      };
    },
  });
}

describe("gen", () => {
  it("continues the raw text so far and stores the variable", async () => {
    const model = createMockLanguageModel({ reply: " that it is a place to relax" });
    const r = await runProgram("The best thing about the beach is {{~gen 'best' temperature=0.7 max_tokens=7}}", {
      model,
    });
    expect(model.calls[0]).toMatchObject({
      rawPrompt: "The best thing about the beach is",
      maxTokens: 7,
      temperature: 0.7,
    });
    expect(r.variables.best).toBe(" that it is a place to relax");
    expect(r.transcript).toBe("The best thing about the beach is that it is a place to relax");
    expect(r.calls).toEqual([
      expect.objectContaining({ kind: "gen", name: "best", method: "generate", line: 1, costUsd: 0 }),
    ]);
    expect(r.usage.outputTokens).toBe(7);
  });

  it("sends raw text to a chat-only model as one user message", async () => {
    const model = createMockLanguageModel({ reply: "x", capabilities: { rawCompletion: false } });
    await runProgram("Say hi:{{gen 'x'}}", { model });
    expect(model.calls[0]?.rawPrompt).toBeUndefined();
    expect(model.calls[0]?.messages).toEqual([{ role: "user", content: "Say hi:" }]);
  });

  it("stops at the quote that follows it by default, and honours stop= with escapes", async () => {
    const model = createMockLanguageModel({ reply: "Ann" });
    await runProgram("\"name\": \"{{gen 'name'}}\", \"bio\": {{gen 'bio' stop='\\n'}}", { model });
    expect(model.calls[0]?.stop).toEqual(['"']);
    expect(model.calls[1]?.stop).toEqual(["\n"]);
  });

  it("n>1 gives a list, shows the first choice, and uses one call when the model returns several", async () => {
    const model = createMockLanguageModel({
      reply: { choices: ["a", "b", "c"].map((text) => ({ text, toolCalls: [], finishReason: "stop" as const })) },
    });
    const r = await runProgram("Best:{{gen 'best' n=3 temperature=0.7 max_tokens=7}}", { model });
    expect(r.variables.best).toEqual(["a", "b", "c"]);
    expect(r.transcript).toBe("Best:a");
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0]?.n).toBe(3);
  });

  it("n>1 calls n times when the model cannot return several choices", async () => {
    const model = createMockLanguageModel({ reply: ["one", "two"], capabilities: { multipleChoices: false } });
    const r = await runProgram("{{gen 'x' n=2}}", { model });
    expect(r.variables.x).toEqual(["one", "two"]);
    expect(model.calls.map((c) => c.n)).toEqual([undefined, undefined]);
  });

  it("pattern= validates and retries on models without grammars", async () => {
    const model = createMockLanguageModel({ reply: ["about twenty", "42"], capabilities: { rawCompletion: false } });
    const r = await runProgram("Age: {{gen 'age' pattern='[0-9]+'}}", { model });
    expect(r.variables.age).toBe("42");
    expect(r.calls[0]).toMatchObject({ method: "validate-retry" });
  });

  it("list_append collects values", async () => {
    const model = createMockLanguageModel({ reply: ["x", "y"] });
    const r = await runProgram("{{#each people}}{{gen 'notes' list_append=true}}{{/each}}", {
      model,
      variables: { people: [1, 2] },
    });
    expect(r.variables.notes).toEqual(["x", "y"]);
  });
});

describe("role blocks", () => {
  const template = `{{#system~}}
You are a helpful and terse assistant.
{{~/system}}

{{#user~}}
I want a response to the following question:
{{query}}
Name 3 world-class experts who would be great at answering this.
{{~/user}}

{{#assistant~}}
{{gen 'expert_names' temperature=0 max_tokens=300}}
{{~/assistant}}

{{#user~}}
Great, now answer as if these experts had collaborated.
{{~/user}}

{{#assistant~}}
{{gen 'answer' temperature=0 max_tokens=500}}
{{~/assistant}}`;

  it("render as <|im_start|> markers and send chat messages", async () => {
    const model = createMockLanguageModel({ reply: ["Ada, Alan, Grace", "Work less."] });
    const r = await runProgram(template, { model, variables: { query: "How can I be more productive?" } });
    expect(r.transcript).toBe(
      [
        "<|im_start|>system\nYou are a helpful and terse assistant.<|im_end|>",
        "<|im_start|>user\nI want a response to the following question:\nHow can I be more productive?\nName 3 world-class experts who would be great at answering this.<|im_end|>",
        "<|im_start|>assistant\nAda, Alan, Grace<|im_end|>",
        "<|im_start|>user\nGreat, now answer as if these experts had collaborated.<|im_end|>",
        "<|im_start|>assistant\nWork less.<|im_end|>",
      ].join("\n"),
    );
    expect(model.calls[0]?.rawPrompt).toBeUndefined();
    expect(model.calls[0]?.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(model.calls[1]?.messages).toEqual([
      { role: "system", content: "You are a helpful and terse assistant." },
      {
        role: "user",
        content:
          "I want a response to the following question:\nHow can I be more productive?\nName 3 world-class experts who would be great at answering this.",
      },
      { role: "assistant", content: "Ada, Alan, Grace" },
      { role: "user", content: "Great, now answer as if these experts had collaborated." },
    ]);
    expect(r.messages.at(-1)).toEqual({ role: "assistant", content: "Work less." });
    expect(r.segments.filter((s) => s.kind === "gen").map((s) => s.role)).toEqual(["assistant", "assistant"]);
  });

  it("put a marker on a new line when the template does not", async () => {
    const r = await runProgram("{{#system}}S{{/system}}{{#user}}U{{/user}}{{#role 'assistant'}}A{{/role}}");
    expect(r.transcript).toBe(
      "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>",
    );
  });

  it("gen after text inside an assistant block continues that turn", async () => {
    const model = createMockLanguageModel({ reply: " 42." });
    const r = await runProgram("{{#user}}Answer?{{/user}}{{#assistant}}The answer is{{gen 'a'}}{{/assistant}}", {
      model,
    });
    expect(model.calls[0]?.messages).toEqual([
      { role: "user", content: "Answer?" },
      { role: "assistant", content: "The answer is" },
    ]);
    expect(r.messages.at(-1)).toEqual({ role: "assistant", content: "The answer is 42." });
  });
});

describe("hidden", () => {
  it("a hidden block is seen inside itself, not by later calls, and kept in segments", async () => {
    const model = createMockLanguageModel({
      reply: [" That's too bad!", " No"],
      capabilities: { rawCompletion: true },
    });
    const r = await runProgram(
      `{{#block hidden=True}}Generate a response to the following email:
{{email}}.
Response:{{gen "response"}}{{/block}}
Email: {{email}}.
Response: {{response}}
Answer:{{gen 'answer'}}`,
      { model, variables: { email: "I hate tacos" } },
    );
    expect(model.calls[0]?.rawPrompt).toBe("Generate a response to the following email:\nI hate tacos.\nResponse:");
    expect(model.calls[1]?.rawPrompt).toBe("\nEmail: I hate tacos.\nResponse:  That's too bad!\nAnswer:");
    expect(r.transcript).toBe("\nEmail: I hate tacos.\nResponse:  That's too bad!\nAnswer: No");
    const hidden = r.segments.filter((s) => s.hidden);
    expect(hidden.map((s) => s.text).join("")).toBe(
      "Generate a response to the following email:\nI hate tacos.\nResponse: That's too bad!",
    );
    expect(hidden.find((s) => s.kind === "gen")).toMatchObject({ name: "response", hidden: true });
  });

  it("gen hidden=true sets the variable but shows nothing and is not context later", async () => {
    const model = createMockLanguageModel({ reply: ["secret", "next"] });
    const r = await runProgram("A{{gen 'x' hidden=true}}B{{gen 'y'}}", { model });
    expect(r.variables.x).toBe("secret");
    expect(r.transcript).toBe("ABnext");
    expect(model.calls[1]?.rawPrompt).toBe("AB");
  });

  it("hidden role blocks drop out of later messages", async () => {
    const model = createMockLanguageModel({ reply: ["Why did the chicken...", "Funny."] });
    const r = await runProgram(
      `{{#system~}}
You are a helpful assistant.
{{~/system}}
{{#block hidden=True~}}
{{#user~}}
Please tell me a joke
{{~/user}}
{{#assistant~}}
{{gen 'joke'}}
{{~/assistant}}
{{~/block~}}
{{#user~}}
Is the following joke funny? Why or why not?
{{joke}}
{{~/user}}
{{#assistant~}}
{{gen 'funny'}}
{{~/assistant}}`,
      { model },
    );
    expect(model.calls[0]?.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(model.calls[1]?.messages).toEqual([
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Is the following joke funny? Why or why not?\nWhy did the chicken..." },
    ]);
    expect(r.transcript).not.toContain("Please tell me a joke");
  });
});

describe("select", () => {
  it("scores the options, stores logprobs and reports the method", async () => {
    const model = scoringModel({ " Yes": -1.5, " No": -7.3, " Maybe": -0.2 });
    const r = await runProgram(
      `Sentence: {{example}}
Answer:{{#select "answer" logprobs='logprobs'}} Yes{{or}} No{{or}} Maybe{{/select}}`,
      { model, variables: { example: "I hate tacos" } },
    );
    expect(r.variables.answer).toBe(" Maybe");
    expect(r.variables.logprobs).toEqual({ " Yes": -1.5, " No": -7.3, " Maybe": -0.2 });
    expect(r.logprobs.answer).toEqual(r.variables.logprobs);
    expect(model.scored[0]).toMatchObject({
      rawPrompt: "Sentence: I hate tacos\nAnswer:",
      continuations: [" Yes", " No", " Maybe"],
    });
    expect(r.calls).toEqual([expect.objectContaining({ kind: "select", name: "answer", method: "score" })]);
    expect(r.transcript.endsWith("Answer: Maybe")).toBe(true);
  });

  it("options can come from a list and contain variables", async () => {
    const model = scoringModel({ axe: -0.5 });
    const r = await runProgram("{{select 'weapon' options=weapons}} {{#select 'x'}}{{a}}{{or}}b{{/select}}", {
      model,
      variables: { weapons: ["sword", "axe"], a: "A" },
    });
    expect(r.variables.weapon).toBe("axe");
    expect(model.scored[1]?.continuations).toEqual(["A", "b"]);
  });

  it("asks a model that can neither score nor return logprobs, and says so", async () => {
    const model = createMockLanguageModel({ reply: "No" });
    const r = await runProgram("Answer:{{#select 'a'}} Yes{{or}} No{{/select}}", { model });
    expect(r.variables.a).toBe(" No");
    expect(r.calls[0]?.method).toBe("prompt");
    expect(r.logprobs.a).toEqual({ " Yes": null, " No": null });
  });
});

describe("helpers, set and partials", () => {
  it("calls sync helpers with generated values", async () => {
    const model = createMockLanguageModel({
      reply: { choices: ["a", "b"].map((text) => ({ text, toolCalls: [], finishReason: "stop" as const })) },
    });
    const aggregate = (best: string[]) => best.map((x) => `- ${x}`).join("\n");
    const r = await runProgram("Best:{{~gen 'best' n=2 hidden=True}}\n{{aggregate best}}", {
      model,
      variables: { aggregate },
    });
    expect(r.transcript).toBe("Best:\n- a\n- b");
    expect("aggregate" in r.variables).toBe(false);
  });

  it("awaits async helpers, also as nested sub-expressions, and passes the hash", async () => {
    const order: string[] = [];
    const helpers = {
      upper: async (s: string) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push(`upper:${s}`);
        return s.toUpperCase();
      },
      wrap: async (s: string, opts: { hash: Record<string, unknown> }) => {
        order.push(`wrap:${s}`);
        return `${opts.hash.left}${s}${opts.hash.right}`;
      },
      search: async (q: string) => [{ title: `${q} result` }],
      isSearch: (s: string) => s.includes("<search>"),
    };
    const r = await runProgram(
      "{{wrap (upper name) left='[' right=']'}} {{#if (isSearch q)}}{{#each (search q)}}{{title}}{{/each}}{{/if}}",
      { helpers, variables: { name: "ada", q: "<search>ai" } },
    );
    expect(r.transcript).toBe("[ADA] <search>ai result");
    expect(order).toEqual(["upper:ada", "wrap:ADA"]);
  });

  it("set writes the value unless hidden; the hash form sets quietly", async () => {
    const r = await runProgram(
      "{{set 'a' 1}}|{{set 'b' (upper 'x') hidden=true}}|{{set c=3 d='four'}}|{{a}}{{b}}{{c}}{{d}}",
      {
        helpers: { upper: (s: string) => s.toUpperCase() },
      },
    );
    expect(r.transcript).toBe("1|||1X3four");
    expect(r.variables).toMatchObject({ a: 1, b: "X", c: 3, d: "four" });
  });

  it("includes partials from options, from variables and from a resolver, with their own context", async () => {
    const prompt1 = compileProgram("List of people:\n{{#each people}}- {{this}}\n{{/each~}}", { name: "prompt1" });
    const r = await runProgram("{{>prompt1}}\n{{> greet who='Ada'}}|{{> shout person}}", {
      variables: { prompt1, people: ["John", "Mary"], person: { name: "Bob" } },
      partials: (name) => (name === "greet" ? "Hi {{who}}" : name === "shout" ? "{{name}}!" : undefined),
    });
    expect(r.transcript).toBe("List of people:\n- John\n- Mary\nHi Ada|Bob!");
  });

  it("gen inside a partial sees the whole program text and sets a program variable", async () => {
    const model = createMockLanguageModel({ reply: " blue" });
    const r = await runProgram("Sky: {{> ask}}", { model, partials: { ask: "color?{{gen 'color'}}" } });
    expect(model.calls[0]?.rawPrompt).toBe("Sky: color?");
    expect(r.variables.color).toBe(" blue");
  });

  it("a named block saves its text", async () => {
    const r = await runProgram("{{#block 'intro'}}Hello {{name}}{{/block}}!", { variables: { name: "Ada" } });
    expect(r.variables.intro).toBe("Hello Ada");
    expect(r.transcript).toBe("Hello Ada!");
  });
});

describe("streaming", () => {
  it("streams text in program order, generated text as it arrives, and matches the transcript", async () => {
    const model = createMockLanguageModel({ reply: ["one two three", "four"], chunkSize: 4 });
    const deltas: string[] = [];
    const r = await runProgram("A: {{gen 'a'}}\n{{#block hidden=true}}H{{gen 'h'}}{{/block}}B: {{x}}", {
      model,
      variables: { x: "end" },
      onText: (d) => deltas.push(d),
    });
    expect(deltas).toEqual(["A: ", "one ", "two ", "thre", "e", "\n", "B: ", "end"]);
    expect(deltas.join("")).toBe(r.transcript);
    expect(r.calls[0]?.method).toBe("stream");
    expect(r.calls[1]?.method).toBe("generate");
  });

  it("streamProgram yields the same text; silent yields none", async () => {
    const model = createMockLanguageModel({ reply: "hello there" });
    const { textStream, result } = streamProgram("Say: {{gen 'x'}}!", { model });
    const parts: string[] = [];
    for await (const d of textStream) parts.push(d);
    expect(parts.join("")).toBe((await result).transcript);
    expect(parts.length).toBeGreaterThan(2);

    const silent = streamProgram("Say: {{gen 'x'}}!", { model, silent: true });
    const none: string[] = [];
    for await (const d of silent.textStream) none.push(d);
    expect(none).toEqual([]);
    expect((await silent.result).transcript).toBe("Say: hello there!");
  });

  it("a failing program ends the text stream with the error", async () => {
    const { textStream, result } = streamProgram("ok {{missing}}");
    await expect(async () => {
      for await (const _ of textStream) {
        // drain
      }
    }).rejects.toThrow(/Unknown variable 'missing'/);
    await expect(result).rejects.toBeInstanceOf(TemplateError);
  });
});

describe("usage, cost and cancellation", () => {
  it("sums usage over calls; cost is null when one call's price is unknown", async () => {
    const model = createMockLanguageModel({ provider: "someprovider", reply: "a b" });
    const r = await runProgram("{{gen 'x'}} {{gen 'y'}}", { model });
    expect(r.usage.outputTokens).toBe(4);
    expect(r.costUsd).toBeNull();
    const free = await runProgram("no model calls");
    expect(free).toMatchObject({ usage: {}, costUsd: 0, calls: [] });
  });

  it("stops with AbortError when the signal aborts", async () => {
    const controller = new AbortController();
    const model = createMockLanguageModel({
      reply: () => {
        controller.abort();
        return "x";
      },
    });
    await expect(
      runProgram("{{gen 'a'}} then {{gen 'b'}}", { model, abortSignal: controller.signal }),
    ).rejects.toSatisfy((e) => AbortError.isInstance(e));
  });
});
