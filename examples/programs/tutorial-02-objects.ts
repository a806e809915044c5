// Lists and objects: {{#each}}, {{this.field}}, comments and the ~ whitespace control.
// Run: npx tsx examples/programs/tutorial-02-objects.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";

const people = ["John", "Mary", "Bob", "Alice"];
const ideas = [
  { name: "truth", description: "the state of being the case" },
  { name: "love", description: "a strong feeling of affection" },
];

export async function main(): Promise<{ tutorial: string; standalone: string }> {
  // The tutorial's template. Whitespace follows handlebars: a line holding only a block tag or a
  // comment disappears with its newline, so this one prints the names on one line.
  const tutorial = await runProgram(
    `List of people:
{{#each people}}- {{this}}
{{~! This is a comment. The ~ removes adjacent whitespace either before or after a tag}}
{{/each~}}
List of ideas:
{{#each ideas}}{{this.name}}: {{this.description}}
{{/each}}`,
    { variables: { people, ideas } },
  );
  // The same list written with block tags on their own lines: one name per line.
  const standalone = await runProgram(
    `List of people:
{{#each people}}
- {{this}}
{{/each}}
{{! comments on their own line vanish too }}
List of ideas:
{{#each ideas}}
{{this.name}}: {{this.description}}
{{/each}}`,
    { variables: { people, ideas } },
  );
  console.log(tutorial.transcript);
  console.log(standalone.transcript);
  return { tutorial: tutorial.transcript, standalone: standalone.transcript };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
