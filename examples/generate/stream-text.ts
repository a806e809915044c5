// Stream a reply token by token, then read usage and latency.
// Run: npx tsx examples/generate/stream-text.ts
import { fileURLToPath } from "node:url";
import { createLocal, streamText } from "weft";

const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

export async function main(): Promise<string> {
  const local = createLocal({ threads: 1 });
  try {
    const result = streamText({
      model: local.languageModel(modelPath),
      rawPrompt: "The little dog",
      maxTokens: 40,
      temperature: 0,
    });
    for await (const delta of result.textStream) process.stdout.write(delta);
    const done = await result.done;
    console.log(`\n${done.usage.outputTokens} tokens, first after ${done.firstTokenMs?.toFixed(1)} ms`);
    return done.text;
  } finally {
    await local.dispose?.();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
