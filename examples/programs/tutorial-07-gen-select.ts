// Several generations and selections run in order; each sees everything written before it.
// Run: npx tsx examples/programs/tutorial-07-gen-select.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  // A mock chat model: it answers the select's question with the option's word.
  const model = createMockLanguageModel({ reply: [" That's too bad! Tacos are one of my favorite meals.", "No"] });
  const result = await runProgram(
    `Generate a response to the following email:
{{email}}.
Response:{{gen "response"}}

Is the response above offensive in any way? Please answer with a single word, either "Yes" or "No".
Answer:{{#select "answer" logprobs='logprobs'}} Yes{{or}} No{{/select}}`,
    { model, variables: { email: "I hate tacos" } },
  );
  console.log(result.transcript);
  return {
    response: result.variables.response,
    answer: result.variables.answer,
    methods: result.calls.map((c) => c.method),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
