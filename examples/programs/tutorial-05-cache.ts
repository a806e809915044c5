// Caching and flushing the cache: wrap the model with the caching middleware; a repeated
// deterministic gen is served from the store at no cost, and clearing the cache calls the model again.
// (On the command line: weft cache clear.)
// Run: npx tsx examples/programs/tutorial-05-cache.ts
import { fileURLToPath } from "node:url";
import { cachingMiddleware, openStore, runProgram, wrapModel } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main(): Promise<{ modelCalls: number[]; best: unknown }> {
  const store = await openStore({ path: ":memory:" });
  try {
    const mock = createMockLanguageModel({ reply: " the sound of the waves" });
    const model = wrapModel(mock, [cachingMiddleware({ cache: store.cache })]);
    const program = "The best thing about the beach is{{gen 'best' max_tokens=7}}"; // temperature 0: cacheable
    const modelCalls: number[] = [];
    const first = await runProgram(program, { model });
    modelCalls.push(mock.calls.length);
    await runProgram(program, { model }); // served from the cache
    modelCalls.push(mock.calls.length);
    await store.cache.clear(); // flush
    await runProgram(program, { model });
    modelCalls.push(mock.calls.length);
    console.log(first.transcript, modelCalls); // model calls after each run: [1, 1, 2]
    return { modelCalls, best: first.variables.best };
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
