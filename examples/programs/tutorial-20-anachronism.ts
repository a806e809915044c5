// Rich output structure: few-shot examples rendered with nested {{#each}}, then generated fields
// and a final select, each stored in its own variable.
// Run: npx tsx examples/programs/tutorial-20-anachronism.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

const examples = [
  {
    input: "I wrote about shakespeare",
    entities: [
      { entity: "I", time: "present" },
      { entity: "Shakespeare", time: "16th century" },
    ],
    reasoning: "I can write about Shakespeare because he lived in the past with respect to me.",
    answer: "No",
  },
  {
    input: "Shakespeare wrote about me",
    entities: [
      { entity: "Shakespeare", time: "16th century" },
      { entity: "I", time: "present" },
    ],
    reasoning: "Shakespeare cannot have written about me, because he died before I was born",
    answer: "Yes",
  },
];

// The tutorial wrote this with ~ marks; here block tags and comments sit on lines of their own,
// which handlebars removes whole, so each example starts on a fresh line.
const program = `Given a sentence tell me whether it contains an anachronism (i.e. whether it could have happened or not based on the time periods associated with the entities).
----
{{! display the few-shot examples }}
{{#each examples}}
Sentence: {{this.input}}
Entities and dates:{{#each this.entities}}
{{this.entity}}: {{this.time}}{{/each}}
Reasoning: {{this.reasoning}}
Anachronism: {{this.answer}}
---
{{/each}}
{{! place the real question at the end }}
Sentence: {{input}}
Entities and dates:
{{gen "entities"}}
Reasoning:{{gen "reasoning"}}
Anachronism:{{#select "answer"}} Yes{{or}} No{{/select}}`;

export async function main() {
  const model = createMockLanguageModel({
    reply: ["T-rex: 65 million years ago\nMy dog: present", " The T-rex died out long before dogs lived.", "Yes"],
  });
  const result = await runProgram(program, { model, variables: { examples, input: "The T-rex bit my dog" } });
  console.log(result.transcript);
  return { transcript: result.transcript, answer: result.variables.answer, firstPrompt: model.calls[0]?.rawPrompt };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
