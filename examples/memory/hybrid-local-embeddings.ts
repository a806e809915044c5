// Hybrid search (BM25 + vectors fused by reciprocal rank) with embeddings computed in-process from
// a GGUF file. The bundled demo model is a tiny story model whose vectors carry little meaning, so
// use a real embedding GGUF (e.g. nomic-embed-text) for real retrieval; the code is the same.
// Run: npx tsx examples/memory/hybrid-local-embeddings.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLocal, formatLocation, indexPaths, openStore, search } from "weft";

const examples = fileURLToPath(new URL("..", import.meta.url));
const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

export async function main(): Promise<{ mode: string; dimensions?: number; sources: string[] }> {
  const local = createLocal({ threads: 1 });
  const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-example-")), "weft.db") });
  try {
    const embedder = local.embeddingModel(modelPath);
    await indexPaths({ store, paths: ["corpus/telescopes.md", "corpus/glossary.md"], cwd: examples, embedder });
    const config = await store.documents.getVectorConfig(); // the index remembers its embedder
    const response = await search({ store, query: "focal ratio of Wren", embedder, k: 3, mmr: { lambda: 0.7 } });
    for (const r of response.results) console.log(`${r.score.toFixed(4)}  ${formatLocation(r)}`);
    return { mode: response.mode, dimensions: config?.dimensions, sources: response.results.map((r) => r.source) };
  } finally {
    await store.close();
    await local.dispose?.();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
