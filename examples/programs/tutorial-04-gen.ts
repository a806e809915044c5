// Generating: {{gen 'name' ...}} continues the text so far and stores the result in a variable.
// A mock model stands in for a hosted completion model; swap in any weft model.
// Run: npx tsx examples/programs/tutorial-04-gen.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const model = createMockLanguageModel({ reply: " that it is a place to relax" });
  const result = await runProgram("The best thing about the beach is {{~gen 'best' temperature=0.7 max_tokens=7}}", {
    model,
  });
  console.log(result.transcript);
  console.log(result.variables.best, result.calls);
  // What the model received: the raw text before the tag (the ~ removed the trailing space).
  const sent = model.calls[0];
  return {
    best: result.variables.best,
    sent: { rawPrompt: sent?.rawPrompt, maxTokens: sent?.maxTokens, temperature: sent?.temperature },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
