// Index a folder into a store, then search it with BM25: no model, no key, no network.
// Re-running the index skips every file whose content has not changed.
// Run: npx tsx examples/memory/index-and-search.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatLocation, indexPaths, openStore, search } from "weft";

const examples = fileURLToPath(new URL("..", import.meta.url));

export async function main(): Promise<{ added: number; unchangedOnRerun: number; top: string }> {
  const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-example-")), "weft.db") });
  try {
    // Paths and document ids are relative to `cwd`: sources read "corpus/telescopes.md".
    const first = await indexPaths({ store, paths: ["corpus"], cwd: examples });
    console.log(`indexed ${first.added.length} files into ${first.totals.chunks} chunks`);
    const again = await indexPaths({ store, paths: ["corpus"], cwd: examples });
    console.log(`second run: ${again.unchanged.length} unchanged, ${again.added.length + again.updated.length} redone`);

    const { results } = await search({ store, query: "why only red light on the observing field?", k: 3 });
    for (const r of results) console.log(`${r.score.toFixed(2)}  ${formatLocation(r)}  ${r.headingPath.join(" > ")}`);

    const csvOnly = await search({ store, query: "family", k: 1, filters: { pathGlob: "*.csv" } });
    console.log(csvOnly.results[0]?.text.split("\n").find((line) => line.includes("Family")));
    return {
      added: first.added.length,
      unchangedOnRerun: again.unchanged.length,
      top: results[0]?.source ?? "",
    };
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
