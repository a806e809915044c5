import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/programs/template/errors.js";
import { type ProgramResult, runProgram } from "../../src/programs/template/run-program.js";
import type { ScoreOptions } from "../../src/spec/language-model.js";
import { createMockLanguageModel } from "../../src/testing/mock-language-model.js";

const emailProgram = `Generate a response to the following email:
{{email}}.
Response:{{gen "response"}}
{{await 'instruction'}}
{{gen 'updated_response'}}`;

describe("await", () => {
  it("stops at a missing value, says which, and resumes without generating again", async () => {
    const model = createMockLanguageModel({
      reply: (call) =>
        call.rawPrompt?.includes("Portuguese") ? "Olá!" : call.rawPrompt?.includes("Chinese") ? "你好！" : " Hi!",
    });
    const first = await runProgram(emailProgram, { model, variables: { email: "Hello there" } });
    expect(first.awaiting).toBe("instruction");
    expect(first.awaitingAt).toMatchObject({ line: 4, column: 1 });
    expect(first.transcript).toBe("Generate a response to the following email:\nHello there.\nResponse: Hi!\n");
    expect(first.variables.response).toBe(" Hi!");
    expect(model.calls).toHaveLength(1);

    // The state is plain JSON: it survives storage.
    const state = JSON.parse(JSON.stringify(first.state));
    const portuguese = await runProgram(emailProgram, {
      model,
      state,
      variables: { instruction: "Please translate the response above to Portuguese." },
    });
    expect(portuguese.awaiting).toBeUndefined();
    expect(portuguese.state).toBeUndefined();
    expect(portuguese.transcript).toBe(
      "Generate a response to the following email:\nHello there.\nResponse: Hi!\nPlease translate the response above to Portuguese.\nOlá!",
    );
    expect(model.calls).toHaveLength(2);
    expect(portuguese.calls.map((c) => c.name)).toEqual(["updated_response"]);

    // The same saved state can branch again.
    const chinese = await runProgram(emailProgram, {
      model,
      state,
      variables: { instruction: "Please translate the response above to Chinese." },
    });
    expect(chinese.variables).toMatchObject({ response: " Hi!", updated_response: "你好！" });
    expect(model.calls).toHaveLength(3);
  });

  it("a value given up front means no stop at all", async () => {
    const model = createMockLanguageModel({ reply: "ok" });
    const r = await runProgram(emailProgram, { model, variables: { email: "x", instruction: "y" } });
    expect(r.awaiting).toBeUndefined();
    expect(r.variables.updated_response).toBe("ok");
  });

  it("replays helper results instead of calling the helper again", async () => {
    let searches = 0;
    const search = (q: string) => {
      searches++;
      return [`${q}-1`, `${q}-2`];
    };
    const template = "{{#each (search topic)}}{{this}} {{/each}}{{await 'next'}}";
    const first = await runProgram(template, { variables: { topic: "ai", search } });
    expect(first.awaiting).toBe("next");
    const second = await runProgram(template, { state: first.state, variables: { next: "done", search } });
    expect(second.transcript).toBe("ai-1 ai-2 done");
    expect(searches).toBe(1);
  });

  it("refuses state that belongs to another program", async () => {
    const model = createMockLanguageModel({ reply: "x" });
    const first = await runProgram(emailProgram, { model, variables: { email: "a" } });
    await expect(
      runProgram("{{gen 'other'}}{{await 'instruction'}}", {
        model,
        state: first.state,
        variables: { instruction: "i" },
      }),
    ).rejects.toThrow(
      /saved state does not match this program: it recorded gen 'response' where the program now runs gen 'other'/,
    );
  });
});

describe("geneach", () => {
  it("builds a list of strings with num_iterations and join", async () => {
    let n = 0;
    const model = createMockLanguageModel({ reply: () => `item${++n}` });
    const r = await runProgram(
      `"items": [{{#geneach 'items' num_iterations=3 join=', '}}"{{gen 'this' temperature=0.7}}"{{/geneach}}]`,
      { model },
    );
    expect(r.variables.items).toEqual(["item1", "item2", "item3"]);
    expect(r.transcript).toBe('"items": ["item1", "item2", "item3"]');
    expect(model.calls.map((c) => c.stop)).toEqual([['"'], ['"'], ['"']]);
  });

  it("fills object fields with this.field and exposes @index", async () => {
    let n = 0;
    const model = createMockLanguageModel({ reply: () => `v${++n}` });
    const r = await runProgram(
      "{{#geneach 'people' num_iterations=2}}\n{{@index}}. Name: {{gen 'this.name' stop='\\n'}}\nAge: {{gen 'this.age'}}\n{{/geneach}}",
      { model },
    );
    expect(r.variables.people).toEqual([
      { name: "v1", age: "v2" },
      { name: "v3", age: "v4" },
    ]);
    // Standalone block lines vanish, as in handlebars.
    expect(r.transcript).toBe("0. Name: v1\nAge: v2\n1. Name: v3\nAge: v4\n");
  });

  it("without num_iterations, lets the model choose between the next item and the stop text", async () => {
    const scored: ScoreOptions[] = [];
    let items = 0;
    const model = Object.assign(createMockLanguageModel({ reply: () => `idea${++items}` }), {
      async doScore(o: ScoreOptions) {
        scored.push(o);
        // Continue twice, then prefer the closing text.
        const more = scored.length <= 2;
        return {
          continuations: o.continuations.map((_, i) => ({ logprob: (i === 0) === more ? -0.1 : -5, tokens: [] })),
          usage: {},
        };
      },
    });
    const r = await runProgram("Ideas:{{#geneach 'ideas'}}\n- {{gen 'this' stop='\\n'}}{{/geneach}}\nDone", { model });
    expect(r.variables.ideas).toEqual(["idea1", "idea2"]);
    expect(r.transcript).toBe("Ideas:\n- idea1\n- idea2\nDone");
    expect(scored.map((s) => s.continuations)).toEqual([
      ["\n- ", "\nDone"],
      ["\n- ", "\nDone"],
      ["\n- ", "\nDone"],
    ]);
    expect(r.calls.filter((c) => c.kind === "select").map((c) => c.name)).toEqual(["ideas", "ideas", "ideas"]);
  });

  it("an agent loop: geneach stop=False with await, one model call per turn", async () => {
    const template = `{{#system~}}
You are a helpful assistant
{{~/system}}
{{~#geneach 'conversation' stop=False}}
{{#user~}}
{{set 'this.user_text' (await 'user_text')}}
{{~/user}}
{{#assistant~}}
{{gen 'this.ai_text' temperature=0 max_tokens=300}}
{{~/assistant}}
{{~/geneach}}`;
    const model = createMockLanguageModel({
      reply: (call) => `echo: ${(call.messages.at(-1)?.content as string) ?? ""}`,
    });
    let r: ProgramResult = await runProgram(template, { model, variables: { user_text: "hi there" } });
    expect(r.awaiting).toBe("user_text");
    expect(r.variables.conversation).toEqual([{ user_text: "hi there", ai_text: "echo: hi there" }, {}]);
    expect(model.calls).toHaveLength(1);

    r = await runProgram(template, { model, state: r.state, variables: { user_text: "What is the meaning of life?" } });
    expect(r.awaiting).toBe("user_text");
    expect(model.calls).toHaveLength(2);
    expect(model.calls[1]?.messages).toEqual([
      { role: "system", content: "You are a helpful assistant" },
      { role: "user", content: "hi there" },
      { role: "assistant", content: "echo: hi there" },
      { role: "user", content: "What is the meaning of life?" },
    ]);
    expect(r.variables.conversation).toEqual([
      { user_text: "hi there", ai_text: "echo: hi there" },
      { user_text: "What is the meaning of life?", ai_text: "echo: What is the meaning of life?" },
      {},
    ]);
    expect(r.transcript.endsWith("<|im_start|>user\n")).toBe(true);
  });

  it("says how to bound it when it cannot tell when to stop", async () => {
    const model = createMockLanguageModel({ reply: "x" });
    await expect(runProgram("{{#geneach 'xs'}}{{gen 'this'}}{{/geneach}}", { model })).rejects.toThrow(
      /give num_iterations=N, stop='text that ends the list', or stop=false/,
    );
    await expect(runProgram("{{#geneach 'xs'}}{{gen 'this'}}{{/geneach}}", { model })).rejects.toBeInstanceOf(
      TemplateError,
    );
  });
});
