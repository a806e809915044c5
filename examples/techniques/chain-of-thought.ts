// Ask for step-by-step reasoning and pull out the final answer (a scripted mock model here).
// Run: npx tsx examples/techniques/chain-of-thought.ts
import { fileURLToPath } from "node:url";
import { chainOfThought, chainOfThoughtSuffix, gsm8kAnswer } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const model = createMockLanguageModel({
    reply: "In May she sold 48 / 2 = 24 clips.\nIn total she sold 48 + 24 = 72 clips.\n#### 72",
  });
  const question =
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?";
  const result = await chainOfThought({ model, prompt: question, format: gsm8kAnswer(), temperature: 0 });
  console.log(chainOfThoughtSuffix({ format: gsm8kAnswer() }));
  console.log(result.reasoning);
  console.log("answer:", result.answer, "calls:", result.calls);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
