// Cache model results in the store: a repeated deterministic call is served from the cache at no cost, and
// the trace says so. A loopback fake server stands in for OpenAI so the example runs offline.
// Run: npx tsx examples/programs/cache-results.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cachingMiddleware, createOpenAI, generateText, openStore, tracingMiddleware, wrapModel } from "weft";
import { startFakeOpenAIServer } from "weft/testing";

export async function main() {
  const server = await startFakeOpenAIServer();
  const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-example-")), "weft.db") });
  try {
    const base = createOpenAI({ apiKey: "sk-example", baseURL: server.url }).languageModel("gpt-4o-mini");
    // Tracing outside caching, so a cache hit is traced too (cached: true, cost 0).
    const model = wrapModel(base, [
      tracingMiddleware({ traces: store.traces }),
      cachingMiddleware({ cache: store.cache }),
    ]);
    const ask = () => generateText({ model, prompt: "Name a primary colour.", temperature: 0 });
    const first = await ask();
    const second = await ask();
    console.log(first.text, first.cached, `$${first.costUsd?.toFixed(7)}`); // Hello from the fake server. false $0.0000036
    console.log(second.text, second.cached, `$${second.costUsd}`); // Hello from the fake server. true $0
    const traces = await store.traces.list();
    for (const t of traces) console.log(t.operation, t.cached ? "cache hit" : "model call", `$${t.costUsd}`);
    const removed = await store.cache.clear(); // what `weft cache clear` does
    return { first, second, traces, requests: server.requests.length, removed };
  } finally {
    await store.close();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
