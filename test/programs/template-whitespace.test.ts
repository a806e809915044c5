import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { runProgram } from "../../src/programs/template/run-program.js";

/** Handlebars itself is the oracle for everything that does not call a model. */
function handlebars(template: string, data: Record<string, unknown>, partials: Record<string, string> = {}): string {
  const hbs = Handlebars.create();
  for (const [name, source] of Object.entries(partials)) hbs.registerPartial(name, source);
  return hbs.compile(template, { noEscape: true, compat: true })(data);
}

const data = {
  people: ["John", "Mary", "Bob", "Alice"],
  ideas: [
    { name: "truth", description: "the state of being the case" },
    { name: "love", description: "a strong feeling of affection" },
  ],
  empty: [],
  scores: { math: 9, art: 7 },
  person: { name: "Ada", langs: ["en", "fr"] },
  flag: true,
  off: false,
  zero: 0,
  title: "Report",
  nested: [
    { group: "a", items: [1, 2] },
    { group: "b", items: [3] },
  ],
};

const cases: Array<[string, string]> = [
  [
    "the tutorial's list with a comment and ~",
    `List of people:
{{#each people}}- {{this}}
{{~! This is a comment. The ~ removes adjacent whitespace either before or after a tag}}
{{/each~}}
List of ideas:
{{#each ideas}}{{this.name}}: {{this.description}}
{{/each}}`,
  ],
  ["standalone block lines disappear", "Items:\n{{#each people}}\n- {{this}}\n{{/each}}\nDone.\n"],
  [
    "standalone if/else lines",
    "A\n  {{#if flag}}\n  yes\n  {{else}}\n  no\n  {{/if}}\nB\n{{#if off}}\nx\n{{else}}\ny\n{{/if}}\n",
  ],
  ["unless and else-if chains", "{{#unless off}}not off{{/unless}} {{#if off}}1{{else if zero}}2{{else}}3{{/if}}"],
  ["includeZero", "{{#if zero includeZero=true}}zero counts{{/if}}"],
  ["~ on both sides", "a   {{~#if flag~}}   b   {{~/if~}}   c"],
  ["~ around variables", "x \n {{~title~}} \n y"],
  [
    "comments, short and long, standalone and inline",
    "a\n{{! gone }}\nb {{!-- with }} inside --}} c\n  {{!-- standalone --}}  \nd",
  ],
  [
    "each over an object with @key, @index, @first, @last",
    "{{#each scores}}{{@index}}:{{@key}}={{this}}{{#if @first}}(first){{/if}}{{#unless @last}}, {{/unless}}{{/each}}",
  ],
  ["each with else", "{{#each empty}}x{{else}}none{{/each}}"],
  [
    "nested each with ../ and @../index",
    "{{#each nested}}{{group}}:{{#each items}}{{../group}}{{@../index}}.{{@index}}={{this}} {{/each}}\n{{/each}}",
  ],
  ["block params", "{{#each people as |who i|}}{{i}}={{who}};{{/each}}"],
  [
    "with and lookups up the context stack",
    "{{#with person}}{{name}} writes {{title}}: {{#each langs}}{{this}}/{{../name}} {{/each}}{{/with}}",
  ],
  [
    "a plain variable as a block",
    "{{#person}}{{name}}{{/person}} {{#people}}[{{this}}]{{/people}} {{#off}}no{{else}}inverse{{/off}}",
  ],
  ["@root", "{{#each people}}{{@root.title}}-{{this}} {{/each}}"],
  ["CRLF standalone lines", "a\r\n{{#if flag}}\r\nb\r\n{{/if}}\r\nc"],
  ["whitespace-only lines around blocks", "  \n{{#each people}}  \n{{this}}\n  {{/each}}  \n"],
];

describe("whitespace control and control flow render exactly like handlebars", () => {
  for (const [name, template] of cases) {
    it(name, async () => {
      const { transcript } = await runProgram(template, { variables: structuredClone(data) });
      expect(transcript).toBe(handlebars(template, structuredClone(data)));
    });
  }

  it("partials: standalone indentation, context parameter and hash", async () => {
    const partials = {
      item: "- {{name}}\n  ({{note}})\n",
      header: "# {{title}}\n\n",
      list: "{{#each people}}\n* {{this}}\n{{/each}}",
    };
    const template = "{{> header}}\nPeople:\n    {{> list}}\nFirst:\n  {{> item person note='hash value'}}\nEnd";
    const { transcript } = await runProgram(template, { variables: structuredClone(data), partials });
    expect(transcript).toBe(handlebars(template, structuredClone(data), partials));
    expect(transcript).toContain("    * John\n    * Mary");
  });

  it("nested standalone partials compose their indentation", async () => {
    const partials = { outer: "o1\n  {{> inner}}\no2\n", inner: "i1\ni2\n" };
    const template = "start\n  {{> outer}}\nend";
    const { transcript } = await runProgram(template, { partials });
    expect(transcript).toBe(handlebars(template, {}, partials));
  });

  it("renders values without HTML escaping (a prompt, not a page)", async () => {
    const { transcript } = await runProgram("{{code}} & {{{code}}}", { variables: { code: "<b>a && b</b>" } });
    expect(transcript).toBe("<b>a && b</b> & <b>a && b</b>");
  });
});
