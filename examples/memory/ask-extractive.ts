// Ask a question with no model at all: weft answers with the best passages and their citations.
// Run: npx tsx examples/memory/ask-extractive.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ask, indexPaths, openStore } from "weft";

const examples = fileURLToPath(new URL("..", import.meta.url));

export async function main(): Promise<{ kind: string; firstCitation: string; hint?: string }> {
  const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-example-")), "weft.db") });
  try {
    await indexPaths({ store, paths: ["corpus"], cwd: examples });
    const result = await ask({ store, question: "When is the last bus back to the harbour?" });
    console.log(result.answer); // "[1] ... — corpus/directions.txt:9-11" and more passages
    console.log(result.hint); // one sentence on configuring a model
    return { kind: result.kind, firstCitation: result.citations[0]?.location ?? "", hint: result.hint };
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
