// Sample several reasoning paths and take the majority answer (Wang et al. 2022). The mock model
// returns five scripted paths in one call (n = 5): three reach 18, one slips to 26, one gives up.
// Run: npx tsx examples/techniques/self-consistency.ts
import { fileURLToPath } from "node:url";
import { numberAnswer, selfConsistency } from "weft";
import { createMockLanguageModel } from "weft/testing";

const paths = [
  "She lays 16 eggs, eats 3 and bakes with 4, leaving 16 - 3 - 4 = 9. 9 * $2 = $18.\nThe answer is 18.",
  "16 - 7 = 9 eggs are sold at $2 each, so 9 * 2 = 18 dollars.\nThe answer is $18.00.",
  "16 - 3 = 13 eggs, 13 * 2 = 26.\nThe answer is 26.",
  "Eggs left: 9. Revenue: 9 x 2 = 18 dollars a day.",
  "I am not sure.",
];

export async function main() {
  const model = createMockLanguageModel({
    reply: { choices: paths.map((text) => ({ text, toolCalls: [], finishReason: "stop" })) },
  });
  const result = await selfConsistency({
    model,
    prompt:
      "Janet's ducks lay 16 eggs per day. She eats three for breakfast and bakes muffins with four. She sells the rest at $2 per egg. How many dollars does she make every day?",
    n: 5,
    format: numberAnswer(),
  });
  console.log("answer:", result.answer, "agreement:", result.agreement);
  console.log(result.votes);
  console.log(result.warnings);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
