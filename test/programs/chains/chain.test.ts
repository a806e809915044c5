import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  branch,
  type ChainEvent,
  chain,
  modelStep,
  runChain,
  type Step,
  type StepInput,
  type StepOutput,
  StepValidationError,
  streamChain,
  transformStep,
} from "../../../src/programs/chains/index.js";
import { AbortError, AuthenticationError, InvalidArgumentError } from "../../../src/spec/errors.js";
import { openStore } from "../../../src/store/index.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";

const lastUser = (messages: Array<{ role: string; content: unknown }>) =>
  messages.filter((m) => m.role === "user").at(-1)?.content;

describe("chain", () => {
  it("runs the steps in order, one model per step, and the output types flow", async () => {
    const fast = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: "Tides rise twice a day.",
    });
    const strong = createMockLanguageModel({ provider: "openai", modelId: "gpt-4o", reply: "Tides: twice daily." });
    const pipeline = chain(
      modelStep({ name: "draft", model: fast, prompt: (topic: string) => `Write about ${topic}.` }),
      modelStep({
        name: "edit",
        model: strong,
        system: "You are an editor.",
        prompt: (draft) => `Tighten: ${draft}`,
        parse: (text) => ({ text, words: text.split(/\s+/).length }),
      }),
      transformStep({ name: "count", run: (edited) => edited.words * 10 }),
    );
    expectTypeOf(pipeline).toEqualTypeOf<Step<string, number>>();
    expectTypeOf<StepInput<typeof pipeline>>().toEqualTypeOf<string>();
    expectTypeOf<StepOutput<typeof pipeline>>().toEqualTypeOf<number>();

    const result = await runChain(pipeline, "tides");
    expectTypeOf(result.output).toEqualTypeOf<number>();
    expect(result.output).toBe(30);
    expect(result.steps.map((s) => [s.name, s.kind, s.model])).toEqual([
      ["draft", "model", "openai:gpt-4o-mini"],
      ["edit", "model", "openai:gpt-4o"],
      ["count", "transform", undefined],
    ]);
    expect(fast.calls[0]?.messages).toEqual([{ role: "user", content: "Write about tides." }]);
    expect(strong.calls[0]?.messages).toEqual([
      { role: "system", content: "You are an editor." },
      { role: "user", content: "Tighten: Tides rise twice a day." },
    ]);
    expect(result.steps[1]?.output).toEqual({ text: "Tides: twice daily.", words: 3 });
    expect(result.steps[1]?.text).toBe("Tides: twice daily.");

    // Per-step usage comes from the model; totals add up and include the price of each model.
    const [draft, edit, count] = result.steps;
    expect(draft?.usage).toEqual({ inputTokens: 3, outputTokens: 5, totalTokens: 8 });
    expect(count?.usage).toEqual({});
    expect(count?.costUsd).toBe(0);
    expect(result.usage.inputTokens).toBe((draft?.usage.inputTokens ?? 0) + (edit?.usage.inputTokens ?? 0));
    expect(draft?.costUsd).toBeGreaterThan(0);
    expect(edit?.costUsd).toBeGreaterThan(0);
    expect(result.costUsd).toBeCloseTo((draft?.costUsd ?? 0) + (edit?.costUsd ?? 0), 15);
    expect(result.runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("uses the run's model for steps that name none, and a total cost of null when a price is unknown", async () => {
    const model = createMockLanguageModel({ provider: "openai", modelId: "a-model-without-a-price", reply: "ok" });
    const result = await runChain(modelStep({ name: "only", prompt: (x: string) => x }), "hi", { model });
    expect(result.output).toBe("ok");
    expect(model.calls).toHaveLength(1);
    expect(result.costUsd).toBeNull();
  });

  it("says which step has no model", async () => {
    const step = chain(
      transformStep({ name: "prep", run: (s: string) => s.trim() }),
      modelStep({ name: "answer", prompt: (s: string) => s }),
    );
    const error = await runChain(step, " hi ").catch((e) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(/Step 'answer' has no model/);
  });

  it("branches on a condition; without `ifFalse` the input passes through", async () => {
    const model = createMockLanguageModel({ reply: (call) => `long answer to ${lastUser(call.messages)}` });
    const seen: string[] = [];
    const pipeline = chain(
      transformStep({ name: "measure", run: (q: string) => ({ q, short: q.length < 10 }) }),
      branch({
        name: "route",
        when: (x) => x.short,
        ifTrue: transformStep({ name: "quick", run: (x: { q: string }) => `quick: ${x.q}` }),
        ifFalse: modelStep({ name: "think", model, prompt: (x: { q: string }) => x.q }),
      }),
      branch({
        name: "maybe shout",
        when: async (s: string) => s.startsWith("quick"),
        ifTrue: transformStep({ name: "shout", run: (s: string) => s.toUpperCase() }),
      }),
    );
    const onEvent = (e: ChainEvent) => {
      if (e.type === "start") seen.push(e.step);
    };
    const short = await runChain(pipeline, "hi?", { onEvent });
    expect(short.output).toBe("QUICK: HI?");
    expect(short.steps.map((s) => s.name)).toEqual(["measure", "quick", "shout"]);
    expect(model.calls).toHaveLength(0);

    const long = await runChain(pipeline, "why is the sky blue?");
    expect(long.output).toBe("long answer to why is the sky blue?");
    expect(long.steps.map((s) => s.name)).toEqual(["measure", "think"]);
    expect(seen).toEqual(["measure", "quick", "shout"]);
  });
});

describe("validation with bounded re-runs", () => {
  const json = (text: string) => {
    try {
      return JSON.parse(text) as { answer?: unknown };
    } catch {
      return undefined;
    }
  };

  it("feeds the issues back to the next attempt with the previous reply", async () => {
    const model = createMockLanguageModel({ reply: ["not json", '{"answer": "4"}', '{"answer": 4}'] });
    const step = modelStep({
      name: "solve",
      model,
      system: "Reply with JSON.",
      prompt: (q: string) => q,
      parse: (text) => json(text),
      validate: (value) => {
        if (value === undefined) return ["The reply is not JSON."];
        return typeof value.answer === "number" ? [] : [{ path: "answer", message: "must be a number" }];
      },
      maxRepairs: 2,
    });
    const events: ChainEvent[] = [];
    const result = await runChain(step, "2+2?", { onEvent: (e) => events.push(e) });
    expect(result.output).toEqual({ answer: 4 });
    expect(result.steps[0]).toMatchObject({ attempts: 3, valid: true, issues: [] });
    expect(model.calls).toHaveLength(3);
    expect(model.calls[1]?.messages).toEqual([
      { role: "system", content: "Reply with JSON." },
      { role: "user", content: "2+2?" },
      { role: "assistant", content: "not json" },
      {
        role: "user",
        content:
          "Your previous answer did not pass the check 'validate':\n- The reply is not JSON.\nReply again in full, with these problems fixed.",
      },
    ]);
    // Only the last failed exchange is sent, not every earlier one.
    expect(model.calls[2]?.messages.slice(2)).toEqual([
      { role: "assistant", content: '{"answer": "4"}' },
      {
        role: "user",
        content:
          "Your previous answer did not pass the check 'validate':\n- answer: must be a number\nReply again in full, with these problems fixed.",
      },
    ]);
    expect(events.filter((e) => e.type === "retry")).toEqual([
      { type: "retry", step: "solve", attempt: 2, check: "validate", issues: [{ message: "The reply is not JSON." }] },
      {
        type: "retry",
        step: "solve",
        attempt: 3,
        check: "validate",
        issues: [{ path: "answer", message: "must be a number" }],
      },
    ]);
    // Usage covers every attempt.
    expect(result.steps[0]?.usage.outputTokens).toBe(2 + 2 + 2);
  });

  it("stops after maxRepairs with a StepValidationError naming the step, the check and the issues", async () => {
    const model = createMockLanguageModel({ reply: "still wrong" });
    const step = modelStep({
      name: "solve",
      model,
      prompt: (q: string) => q,
      validate: () => ["Answer with a number."],
      maxRepairs: 1,
    });
    const error = await runChain(step, "2+2?").catch((e) => e);
    expect(StepValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ step: "solve", check: "validate", attempts: 2, output: "still wrong" });
    expect(error.message).toMatch(
      /^Step 'solve' failed the check 'validate' after 2 attempt\(s\): Answer with a number\./,
    );
    expect(model.calls).toHaveLength(2);
  });

  it("gives each check its own bound and can accept an output that still fails", async () => {
    let runs = 0;
    const step = transformStep({
      name: "count",
      run: (n: number, ctx) => {
        runs++;
        // A transform sees the previous output and issues on a re-run.
        return ctx.feedback ? (ctx.feedback.output as number) + 1 : n;
      },
      checks: [
        { name: "positive", validate: (v: number) => (v > 0 ? [] : ["must be positive"]), maxRepairs: 5 },
        {
          name: "even",
          validate: (v: number) => (v % 2 === 0 ? [] : ["must be even"]),
          maxRepairs: 0,
          onExhausted: "accept",
        },
      ],
    });
    const result = await runChain(step, -1);
    // -1 → 0 → 1: positive passes, then "even" has no repairs left and accepts.
    expect(result.output).toBe(1);
    expect(runs).toBe(3);
    expect(result.steps[0]).toMatchObject({ valid: false, issues: [{ message: "must be even" }], attempts: 3 });
  });

  it("rejects a negative maxRepairs when the step is built", () => {
    expect(() => modelStep({ name: "x", prompt: () => "x", validate: () => [], maxRepairs: -1 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe("streaming", () => {
  it("reports start, text deltas, checks and end for each step through onEvent and onText", async () => {
    const model = createMockLanguageModel({ reply: "one two three" });
    const events: ChainEvent[] = [];
    const texts: string[] = [];
    await runChain(
      chain(
        modelStep({ name: "say", model, prompt: (x: string) => x, validate: () => [] }),
        transformStep({
          name: "note",
          run: (s: string, ctx) => {
            ctx.emit("noted");
            return s.length;
          },
        }),
      ),
      "go",
      { onEvent: (e) => events.push(e), onText: (text, step) => texts.push(`${step}:${text}`) },
    );
    expect(events.map((e) => `${e.type}:${e.step}`)).toEqual([
      "start:say",
      "text:say",
      "text:say",
      "text:say",
      "check:say",
      "check:say",
      "end:say",
      "start:note",
      "text:note",
      "end:note",
    ]);
    expect(texts).toEqual(["say:one", "say: two", "say: three", "note:noted"]);
    expect(events[0]).toEqual({ type: "start", step: "say", kind: "model", model: "mock:mock-model" });
    expect(events[6]).toMatchObject({ type: "end", result: { name: "say", output: "one two three", attempts: 1 } });
  });

  it("streamChain yields the same events as an async iterable and resolves the result", async () => {
    const model = createMockLanguageModel({ reply: "a b" });
    const { events, result } = streamChain(modelStep({ name: "s", model, prompt: (x: string) => x }), "hi");
    const seen: string[] = [];
    for await (const e of events) seen.push(e.type === "text" ? e.text : e.type);
    expect(seen).toEqual(["start", "a", " b", "end"]);
    expect((await result).output).toBe("a b");
  });

  it("streamChain ends its events with the run's error", async () => {
    const model = createMockLanguageModel({ reply: new AuthenticationError({ provider: "mock" }) });
    const { events, result } = streamChain(
      modelStep({ name: "s", model, prompt: (x: string) => x, settings: { maxRetries: 0 } }),
      "hi",
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const e of events) seen.push(e.type);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(seen).toEqual(["start"]);
    await expect(result).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("stops between steps when aborted", async () => {
    const controller = new AbortController();
    const second = createMockLanguageModel({ reply: "never" });
    const pipeline = chain(
      transformStep({
        name: "first",
        run: (s: string) => {
          controller.abort();
          return s;
        },
      }),
      modelStep({ name: "second", model: second, prompt: (s: string) => s }),
    );
    await expect(runChain(pipeline, "x", { abortSignal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(second.calls).toHaveLength(0);
  });
});

describe("tracing", () => {
  it("stores one trace per model call, listed by the run id, tagged with the step and attempt", async () => {
    const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-chain-")), "weft.db") });
    try {
      const a = createMockLanguageModel({ provider: "openai", modelId: "gpt-4o-mini", reply: ["bad", "good"] });
      const b = createMockLanguageModel({ provider: "anthropic", modelId: "claude-3-5-haiku-latest", reply: "fine" });
      const pipeline = chain(
        modelStep({ name: "first", model: a, prompt: (x: string) => x, validate: (t) => (t === "good" ? [] : ["no"]) }),
        transformStep({ name: "glue", run: (t: string) => `${t}!` }),
        modelStep({ name: "second", model: b, prompt: (t: string) => t }),
      );
      const result = await runChain(pipeline, "go", { traces: store.traces, runId: "run-123" });
      expect(result.runId).toBe("run-123");
      const traces = await store.traces.list({ parentId: "run-123" });
      expect(traces).toHaveLength(3);
      const byStep = traces
        .map((t) => [t.parameters.step, t.parameters.attempt, `${t.provider}:${t.modelId}`, t.parentId])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0])) || Number(x[1]) - Number(y[1]));
      expect(byStep).toEqual([
        ["first", 1, "openai:gpt-4o-mini", "run-123"],
        ["first", 2, "openai:gpt-4o-mini", "run-123"],
        ["second", 1, "anthropic:claude-3-5-haiku-latest", "run-123"],
      ]);
      const second = traces.find((t) => t.parameters.step === "second");
      expect(second?.input).toEqual([{ role: "user", content: "good!" }]);
      expect(await store.traces.list({ parentId: "another-run" })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
