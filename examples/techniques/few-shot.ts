// Pick few-shot examples that are relevant to the input and not near-copies of each other, within a
// token budget: BM25 without an embedder, embeddings with one (a deterministic mock here).
// Run: npx tsx examples/techniques/few-shot.ts
import { fileURLToPath } from "node:url";
import { createExampleSelector, selectExamples } from "weft";
import { createMockEmbeddingModel } from "weft/testing";

const examples = [
  { input: "How do I reset my password?", output: "Open Settings, choose Security, then Reset password." },
  { input: "How can I reset my password?", output: "Go to Settings, then Security, then Reset password." },
  { input: "How do I change my email address?", output: "Open Settings, choose Account, then Email." },
  { input: "What are your opening hours?", output: "We are open 9:00 to 17:00, Monday to Friday." },
  { input: "My password reset email never arrived.", output: "Check your spam folder, then ask for a new reset link." },
];

export async function main() {
  const input = "I forgot my password. How do I reset it?";
  const bm25 = await selectExamples({ examples, input, k: 2, maxTokens: 60 });
  console.log(bm25.method, bm25.indices, `${bm25.tokens} tokens (${bm25.tokenCounter})`);
  console.log(`${bm25.text}\n\nInput: ${input}\nOutput:`);

  const selector = createExampleSelector({ examples, embeddingModel: createMockEmbeddingModel({ dimensions: 64 }) });
  const embedded = await selector.select("Which hours are you open on Monday?", { k: 1 });
  console.log(embedded.method, embedded.indices, embedded.usage);
  return { bm25, embedded };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
