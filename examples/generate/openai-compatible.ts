// The same code talks to OpenAI, Azure or any OpenAI-compatible server; here a loopback fake server stands in,
// so the example runs offline. Point baseURL at Ollama, vLLM or llama.cpp and it works unchanged.
// Run: npx tsx examples/generate/openai-compatible.ts
import { fileURLToPath } from "node:url";
import { createOpenAI, generateText } from "weft";
import { startFakeOpenAIServer } from "weft/testing";

export async function main(): Promise<string> {
  const server = await startFakeOpenAIServer();
  try {
    server.enqueue({ text: "Paris is the capital of France." });
    const openai = createOpenAI({ apiKey: "sk-example", baseURL: server.url });
    const result = await generateText({
      model: openai.languageModel("gpt-4o-mini"),
      system: "Answer in one sentence.",
      prompt: "What is the capital of France?",
    });
    console.log(result.text, `· ${result.usage.totalTokens} tokens · $${result.costUsd?.toFixed(8)}`);
    return result.text;
  } finally {
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
