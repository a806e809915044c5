// Calling functions: any function passed in (as a variable or in helpers) can be called with
// generated values; async functions are awaited.
// Run: npx tsx examples/programs/tutorial-10-functions.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main(): Promise<string> {
  const texts = [" the peaceful atmosphere", " the feeling of relaxation", " the sand between your toes"];
  const model = createMockLanguageModel({
    reply: { choices: texts.map((text) => ({ text, toolCalls: [], finishReason: "stop" as const })) },
  });
  const aggregate = (best: string[]) => best.map((x) => `- ${x}`).join("\n");
  const result = await runProgram(
    `The best thing about the beach is {{~gen 'best' n=3 temperature=0.7 max_tokens=7 hidden=True}}
{{aggregate best}}`,
    { model, variables: { aggregate } },
  );
  console.log(result.transcript);
  return result.transcript;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
