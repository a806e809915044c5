// Hidden blocks: text in {{#block hidden=True}} is generated but left out of the transcript and out
// of what later calls see; the variables it sets stay usable.
// Run: npx tsx examples/programs/tutorial-08-hidden.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const model = createMockLanguageModel({ reply: [" That's too bad! Tacos are one of my favorite meals.", "No"] });
  const result = await runProgram(
    `{{#block hidden=True}}Generate a response to the following email:
{{email}}.
Response:{{gen "response"}}{{/block}}
I will show you an email and a response, and you will tell me if it's offensive.
Email: {{email}}.
Response: {{response}}
Is the response above offensive in any way? Please answer with a single word, either "Yes" or "No".
Answer:{{#select "answer" logprobs='logprobs'}} Yes{{or}} No{{/select}}`,
    { model, variables: { email: "I hate tacos" } },
  );
  console.log(result.transcript);
  // The hidden part is still in the segments, marked hidden.
  const hidden = result.segments
    .filter((s) => s.hidden)
    .map((s) => s.text)
    .join("");
  const selectPrompt = JSON.stringify(model.calls[1]?.messages);
  return { transcript: result.transcript, hidden, selectSawHiddenText: selectPrompt.includes("Generate a response") };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
