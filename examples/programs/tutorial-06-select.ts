// Select: {{#select}} chooses one of the options and can store each option's log probability.
// The mock plays a hosted completion model that returns top logprobs (like OpenAI), so the choice
// is read from them; result.calls says which method decided. Local models score every option
// instead (tutorial-17-local-select.ts).
// Run: npx tsx examples/programs/tutorial-06-select.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const chosen = { token: " Maybe", logprob: -0.23746304 };
  const top = [chosen, { token: " Yes", logprob: -1.5689583 }, { token: " No", logprob: -7.332395 }];
  const model = createMockLanguageModel({
    capabilities: { logprobs: true },
    reply: {
      choices: [{ text: " Maybe", toolCalls: [], finishReason: "stop", logprobs: [{ ...chosen, topLogprobs: top }] }],
    },
  });
  const result = await runProgram(
    `Is the following sentence offensive? Please answer with a single word, either "Yes", "No", or "Maybe".
Sentence: {{example}}
Answer:{{#select "answer" logprobs='logprobs'}} Yes{{or}} No{{or}} Maybe{{/select}}`,
    { model, variables: { example: "I hate tacos" } },
  );
  console.log(result.transcript);
  console.log(result.variables.logprobs); // { ' Yes': -1.5689583, ' No': -7.332395, ' Maybe': -0.23746304 }
  return { answer: result.variables.answer, logprobs: result.variables.logprobs, method: result.calls[0]?.method };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
