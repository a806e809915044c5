// n>1: one gen, several completions; the variable becomes a list (the transcript shows the first).
// Run: npx tsx examples/programs/tutorial-09-n.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main(): Promise<unknown> {
  const texts = [" that it is a great place to", " being able to relax in the sun", " that it's a great place to"];
  const model = createMockLanguageModel({
    reply: { choices: texts.map((text) => ({ text, toolCalls: [], finishReason: "stop" as const })) },
  });
  const result = await runProgram(
    "The best thing about the beach is {{~gen 'best' n=3 temperature=0.7 max_tokens=7}}",
    {
      model,
    },
  );
  console.log(result.variables.best);
  return result.variables.best;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
