// Basic templating: a program is a handlebars template; running it fills in the variables.
// Run: npx tsx examples/programs/tutorial-01-template.ts
import { fileURLToPath } from "node:url";
import { compileProgram, runProgram } from "weft";

export async function main(): Promise<{ source: string; transcript: string }> {
  const prompt = compileProgram("What is {{example}}?");
  console.log(prompt.source); // What is {{example}}?
  const { transcript } = await runProgram(prompt, { variables: { example: "truth" } });
  console.log(transcript); // What is truth?
  return { source: prompt.source, transcript };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
