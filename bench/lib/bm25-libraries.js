// The in-memory BM25 libraries weft is compared with, set up the same way for every dataset:
// one text field per passage, queries as the user typed them.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./process.js";

const require = createRequire(import.meta.url);

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "not installed";
  }
}

/**
 * Martin Porter's English stemmer as shipped inside @orama/orama (its `stemming: true` option uses it;
 * the package does not export the file, so it is loaded by path). Undefined when the file is not there.
 */
export async function loadPorterStemmer() {
  try {
    const root = path.dirname(require.resolve("@orama/orama/package.json"));
    const file = path.join(root, "dist/esm/components/tokenizer/english-stemmer.js");
    if (!existsSync(file)) return undefined;
    const { stemmer } = await import(pathToFileURL(file).href);
    return typeof stemmer === "function" ? stemmer : undefined;
  } catch {
    return undefined;
  }
}

/**
 * MiniSearch over `passages` ({ id, text }); with `stemmer`, every term is lower-cased then stemmed
 * (index and query alike), otherwise MiniSearch's defaults (lower-cased words, no stemming, no stop words).
 * Returns `{ search(query, k) → ids, buildMs, label, version }`.
 */
export async function createMiniSearch(passages, { stemmer } = {}) {
  const { default: MiniSearch } = await import("minisearch");
  const start = performance.now();
  const options = { fields: ["text"], idField: "id" };
  if (stemmer) options.processTerm = (term) => stemmer(term.toLowerCase());
  const index = new MiniSearch(options);
  index.addAll(passages);
  return {
    label: stemmer ? "MiniSearch + Porter stemmer" : "MiniSearch (defaults)",
    version: versionOf("minisearch"),
    buildMs: performance.now() - start,
    search: (query, k) =>
      index
        .search(query)
        .slice(0, k)
        .map((hit) => hit.id),
  };
}

/** Orama with its defaults (BM25, no stemming, prefix matching of query words) over `passages`. */
export async function createOrama(passages) {
  const { create, insert, search } = await import("@orama/orama");
  const start = performance.now();
  const db = create({ schema: { text: "string" } });
  for (const passage of passages) insert(db, { id: passage.id, text: passage.text });
  return {
    label: "Orama (defaults)",
    version: versionOf("@orama/orama"),
    buildMs: performance.now() - start,
    search: async (query, k) => (await search(db, { term: query, limit: k })).hits.map((hit) => hit.id),
  };
}
