// Generate text in-process with the bundled demo model; no key, no server, no network.
// Run: npx tsx examples/generate/generate-text.ts
import { fileURLToPath } from "node:url";
import { createLocal, generateText } from "weft";

const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

export async function main(): Promise<string> {
  const local = createLocal({ threads: 1 });
  try {
    const model = local.languageModel(modelPath);
    const result = await generateText({ model, rawPrompt: "Once upon a time", maxTokens: 40, temperature: 0 });
    console.log(result.text);
    console.log(`${result.usage.inputTokens} tokens in, ${result.usage.outputTokens} out, cost $${result.costUsd}`);
    return result.text;
  } finally {
    await local.dispose?.();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
