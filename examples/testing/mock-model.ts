// Test code that calls a model without any network: script the replies, then check what was sent.
// Run: npx tsx examples/testing/mock-model.ts
import { fileURLToPath } from "node:url";
import { generateText } from "weft";
import { createMockLanguageModel } from "weft/testing";

async function summarise(model: Parameters<typeof generateText>[0]["model"], text: string): Promise<string> {
  const { text: summary } = await generateText({ model, system: "Summarise in five words.", prompt: text });
  return summary.trim();
}

export async function main(): Promise<{ summary: string; sentSystem: unknown }> {
  const model = createMockLanguageModel({ reply: "Cats sleep most of the day." });
  const summary = await summarise(model, "A long article about cats and their sleeping habits...");
  const sentSystem = model.calls[0]?.messages[0];
  console.log(summary, sentSystem);
  return { summary, sentSystem };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
