// Guaranteed syntax: a JSON character profile where the model only fills the blanks. On a local
// model, pattern= is enforced by a grammar while decoding and select scores its options, so the
// result always parses. (The string fields get a pattern too: a tiny story model would otherwise
// happily write quotes or newlines inside them.)
// Run: npx tsx examples/programs/tutorial-18-local-json.ts
import { fileURLToPath } from "node:url";
import { createLocal, runProgram } from "weft";

const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

const program = `The following is a character profile for an RPG game in JSON format.
\`\`\`json
{
    "description": "{{description}}",
    "name": "{{gen 'name' pattern='[A-Z][a-z]{2,9}'}}",
    "age": {{gen 'age' pattern='[1-9][0-9]?' stop=','}},
    "armor": "{{#select 'armor'}}leather{{or}}chainmail{{or}}plate{{/select}}",
    "weapon": "{{select 'weapon' options=valid_weapons}}",
    "class": "{{gen 'class' pattern='[a-z]{3,12}'}}",
    "mantra": "{{gen 'mantra' pattern='[A-Za-z ]{5,40}' temperature=0.7}}",
    "strength": {{gen 'strength' pattern='[0-9]{1,3}' stop=','}},
    "items": [{{#geneach 'items' num_iterations=3 join=', '}}"{{gen 'this' pattern='[a-z ]{3,20}'}}"{{/geneach}}]
}\`\`\``;

export async function main() {
  const local = createLocal({ threads: 1 });
  try {
    const result = await runProgram(program, {
      model: local.languageModel(modelPath),
      variables: {
        description: "A quick and nimble fighter.",
        valid_weapons: ["sword", "axe", "mace", "spear", "bow", "crossbow"],
      },
      defaults: { maxTokens: 16 },
    });
    const json = result.transcript.split("```json")[1]?.replace(/```$/, "") ?? "";
    const profile = JSON.parse(json) as Record<string, unknown>;
    console.log(profile);
    return {
      profile,
      variables: result.variables,
      methods: [...new Set(result.calls.map((c) => `${c.kind}:${c.method}`))],
    };
  } finally {
    await local.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
