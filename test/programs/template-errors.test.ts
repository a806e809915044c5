import { describe, expect, it } from "vitest";
import { TemplateError, TemplateSyntaxError } from "../../src/programs/template/errors.js";
import { compileProgram } from "../../src/programs/template/parse.js";
import { runProgram } from "../../src/programs/template/run-program.js";
import { WeftError } from "../../src/spec/errors.js";
import { createMockLanguageModel } from "../../src/testing/mock-language-model.js";

function syntaxError(source: string): TemplateSyntaxError {
  try {
    compileProgram(source, { name: "t.hbs" });
  } catch (error) {
    if (TemplateSyntaxError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a syntax error");
}

async function runError(source: string, options: Parameters<typeof runProgram>[1] = {}): Promise<TemplateError> {
  try {
    await runProgram(source, options);
  } catch (error) {
    if (TemplateError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a template error");
}

describe("syntax errors give line, column and a hint", () => {
  it("an unclosed block names the block to close", () => {
    const e = syntaxError("Hello\n{{#each people}}\n- {{this}}\n");
    expect(e).toBeInstanceOf(WeftError);
    expect(e.code).toBe("template-syntax");
    expect(e).toMatchObject({ line: 4, program: "t.hbs" });
    expect(e.message).toMatch(
      /^Template syntax error at t\.hbs, line 4, column \d+: the template ended inside a block/,
    );
    expect(e.hint).toBe("add {{/each}} to close {{#each}}.");
  });

  it("a mismatched close points at the block", () => {
    const e = syntaxError("line1\nline2 {{#each xs}}{{/if}}");
    expect(e).toMatchObject({ line: 2, column: 10 });
    expect(e.message).toContain("{{/if}} closes {{#each}}");
  });

  it("a key without a value", () => {
    const e = syntaxError("Q\n  {{gen 'a' max_tokens=}}");
    expect(e).toMatchObject({ line: 2, column: 24 });
    expect(e.hint).toMatch(/give every key= a value/);
    expect(e.message).toContain("  {{gen 'a' max_tokens=}}\n");
    expect(e.message).toMatch(/\n\s+\^\n/);
  });

  it("a single closing brace and an unclosed comment", () => {
    expect(syntaxError("{{gen 'x' }").hint).toMatch(/tags end with }}/);
    expect(syntaxError("x\n{{!-- never closed").hint).toMatch(/unclosed comment/);
  });

  it("misused built-ins are caught before running", () => {
    expect(syntaxError("a{{or}}b").message).toMatch(/line 1, column 2: {{or}} outside {{#select}}/);
    expect(syntaxError("{{#gen 'x'}}{{/gen}}").hint).toMatch(/without #/);
    expect(syntaxError("{{#select 'a'}}x{{else}}y{{/select}}").hint).toMatch(/{{or}}/);
    expect(syntaxError("{{#user}}\n{{#assistant}}x{{/assistant}}{{/user}}")).toMatchObject({ line: 2, column: 1 });
    expect(syntaxError("{{system 'x'}}").hint).toMatch(/{{#system/);
    expect(syntaxError("{{set 'x' (gen 'y')}}").message).toMatch(/gen cannot be a sub-expression/);
  });

  it("compileProgram reports what the program needs", () => {
    const p = compileProgram("{{gen 'a'}}{{await 'x'}}{{set 'y' (await 'z')}}");
    expect(p).toMatchObject({ usesModel: true, awaits: ["x", "z"] });
    expect(compileProgram("Hi {{name}}").usesModel).toBe(false);
  });
});

describe("run-time errors name what is missing and where", () => {
  it("unknown variables", async () => {
    const e = await runError("Hello\n  {{user.name}}!", { variables: { usr: {} } });
    // The column points at the variable itself.
    expect(e).toMatchObject({ kind: "unknown-variable", subject: "user", line: 2, column: 5 });
    expect(e.message).toMatch(/^Unknown variable 'user\.name': pass 'user' in the program's variables/);
  });

  it("a missing property of a known object is empty, like handlebars", async () => {
    const r = await runProgram("[{{user.nickname}}]", { variables: { user: {} } });
    expect(r.transcript).toBe("[]");
  });

  it("a variable may share a block's name", async () => {
    const r = await runProgram("{{role}} / {{block}}", { variables: { role: "Democrat", block: "B" } });
    expect(r.transcript).toBe("Democrat / B");
  });

  it("Python-style True, False and None work as literals", async () => {
    const r = await runProgram("{{#if True}}yes{{/if}}{{#if None}}no{{/if}}{{#unless False}}!{{/unless}}");
    expect(r.transcript).toBe("yes!");
  });

  it("unknown helpers, in mustaches, sub-expressions and blocks", async () => {
    expect(await runError("{{shout name}}", { variables: { name: "a" } })).toMatchObject({
      kind: "unknown-helper",
      subject: "shout",
    });
    expect((await runError("{{#each (find q)}}{{/each}}", { variables: { q: 1 } })).message).toMatch(
      /Unknown helper 'find': pass it in helpers/,
    );
    const block = await runError("{{#wrap}}x{{/wrap}}", { helpers: { wrap: () => "" } });
    expect(block.message).toMatch(/cannot open a block/);
  });

  it("unknown partials, and errors inside a partial name the partial", async () => {
    expect(await runError("a\n{{> footer}}")).toMatchObject({ kind: "unknown-partial", subject: "footer", line: 2 });
    const inner = await runError("{{> card}}", { partials: { card: "ok\n{{nope}}" } });
    expect(inner).toMatchObject({ kind: "unknown-variable", program: "card", line: 2 });
    expect(inner.message).toContain("(card, line 2, column 3)");
  });

  it("gen and select without a model, bad options and bad values", async () => {
    expect(await runError("{{gen 'a'}}")).toMatchObject({ kind: "no-model" });
    const model = createMockLanguageModel();
    expect((await runError("{{gen 'a' max_token=5}}", { model })).message).toMatch(
      /{{gen}} has no option 'max_token'; it takes max_tokens/,
    );
    expect((await runError("{{gen 'a' n=0}}", { model })).message).toMatch(/n must be an integer >= 1/);
    expect((await runError("{{gen answer}}", { model, variables: { answer: 3 } })).message).toMatch(/quoted string/);
    expect((await runError("{{#role 'robot'}}x{{/role}}")).message).toMatch(/"robot" is not one of system/);
    expect((await runError("{{select 'a'}}", { model })).message).toMatch(/needs options=list/);
  });

  it("a helper that throws is wrapped with its name; weft errors pass through", async () => {
    const e = await runError("\n{{boom}}", {
      helpers: {
        boom: () => {
          throw new Error("kaput");
        },
      },
    });
    expect(e).toMatchObject({ kind: "helper-failed", subject: "boom", line: 2 });
    expect(e.message).toMatch(/^Helper 'boom' failed: kaput/);
  });
});
