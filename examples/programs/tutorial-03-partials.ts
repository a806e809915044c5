// Including programs: {{>prompt1}} renders another program in place, with the same variables.
// Run: npx tsx examples/programs/tutorial-03-partials.ts
import { fileURLToPath } from "node:url";
import { compileProgram, runProgram } from "weft";

export async function main(): Promise<string> {
  const prompt1 = compileProgram("List of people:\n{{#each people}}\n- {{this}}\n{{/each}}", { name: "prompt1" });
  const prompt2 = compileProgram(
    "{{>prompt1}}\nList of ideas:\n{{#each ideas}}\n{{this.name}}: {{this.description}}\n{{/each}}",
  );
  // A compiled program passed as a variable works as a partial; `partials: { prompt1 }` does too.
  const { transcript } = await runProgram(prompt2, {
    variables: {
      prompt1,
      people: ["John", "Mary", "Bob", "Alice"],
      ideas: [
        { name: "truth", description: "the state of being the case" },
        { name: "love", description: "a strong feeling of affection" },
      ],
    },
  });
  console.log(transcript);
  return transcript;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
