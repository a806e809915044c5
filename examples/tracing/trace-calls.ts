// Record every model call in the store and read the traces back.
// Run: npx tsx examples/tracing/trace-calls.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateText, openStore, type TraceRecord, tracingMiddleware, wrapModel } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main(): Promise<TraceRecord[]> {
  const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-example-")), "weft.db") });
  try {
    const model = wrapModel(createMockLanguageModel({ provider: "openai", modelId: "gpt-4o-mini", reply: "Hi!" }), [
      tracingMiddleware({ traces: store.traces }),
    ]);
    await generateText({ model, prompt: "Say hi" });
    const traces = await store.traces.list({ limit: 5 });
    for (const t of traces) {
      console.log(t.startedAt, `${t.provider}:${t.modelId}`, t.usage, `$${t.costUsd}`, `${t.latencyMs.toFixed(2)} ms`);
    }
    return traces;
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
