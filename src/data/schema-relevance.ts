import { createRequire } from "node:module";
import type MiniSearchClass from "minisearch";
import type { SchemaProfile, TableProfile } from "./types.js";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const MiniSearch = (): typeof MiniSearchClass => require("minisearch");

// Question words that name no table or column; leaving them out keeps "how many ..." from matching everything.
const STOPWORDS = new Set(
  "a an and are as at be but by can could do does did each every for from give has have how i if in into is it its list me my of on or our show so than that the their them then there these they this those to was we were what when where which who whom whose why will with would you your all any many much number count".split(
    " ",
  ),
);

/** Splits identifiers and text into words: `BORE_OIL_VOL` → bore oil vol, `singerId` → singer id. */
export function identifierWords(text: string): string[] {
  return (
    text
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** A crude English singular so "singers" finds `singer` and "countries" finds `country`. */
function singular(term: string): string {
  if (term.length > 4 && term.endsWith("ies")) return `${term.slice(0, -3)}y`;
  if (term.length > 3 && term.endsWith("s") && !term.endsWith("ss") && !term.endsWith("us")) return term.slice(0, -1);
  return term;
}

function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  return STOPWORDS.has(t) ? null : singular(t);
}

/** How relevant each table and each column is to a question, each in [0, 1] (1 for the best). */
export interface SchemaRelevance {
  /** Keyed by table name. */
  tables: Map<string, number>;
  /** Keyed by `table\u0000column`. */
  columns: Map<string, number>;
}

export const columnKey = (table: string, column: string) => `${table}\u0000${column}`;

/**
 * Scores tables and columns against a question with BM25 (minisearch) over table names, column
 * names and sample values. A table's score is its own name's score plus its best column's, so a
 * question naming a column of a table also selects that table.
 *
 * @example
 * const rel = schemaRelevance(profile, "Average oil volume per well?");
 * rel.tables.get("daily_production"); // 1
 */
export function schemaRelevance(profile: SchemaProfile, question: string): SchemaRelevance {
  type Doc = { id: number; name: string; text: string };
  const index = new (MiniSearch())<Doc>({
    fields: ["name", "text"],
    tokenize: identifierWords,
    processTerm,
  });
  const docs: Array<{ table: string; column?: string }> = [];
  const add = (table: string, column: string | undefined, name: string, text: string) => {
    docs.push({ table, column });
    return { id: docs.length - 1, name, text };
  };
  const all: Doc[] = [];
  for (const t of profile.tables) {
    all.push(add(t.name, undefined, t.name, t.origin ?? ""));
    for (const c of t.columns) all.push(add(t.name, c.name, `${c.name} ${t.name}`, c.samples.join(" ")));
  }
  index.addAll(all);
  const tableOwn = new Map<string, number>();
  const columns = new Map<string, number>();
  const hits = index.search(question, {
    combineWith: "OR",
    prefix: (term) => term.length >= 3,
    fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
    boost: { name: 2 },
  });
  for (const hit of hits) {
    const doc = docs[hit.id as number];
    if (!doc) continue;
    if (doc.column === undefined) tableOwn.set(doc.table, hit.score);
    else columns.set(columnKey(doc.table, doc.column), hit.score);
  }
  const tables = new Map<string, number>();
  for (const t of profile.tables) {
    const best = Math.max(0, ...t.columns.map((c) => columns.get(columnKey(t.name, c.name)) ?? 0));
    tables.set(t.name, (tableOwn.get(t.name) ?? 0) + best);
  }
  return { tables: normalise(tables), columns: normalise(columns) };
}

function normalise(scores: Map<string, number>): Map<string, number> {
  const max = Math.max(0, ...scores.values());
  if (max > 0) for (const [k, v] of scores) scores.set(k, v / max);
  return scores;
}

/** Columns a join needs: declared primary and foreign keys, columns other tables reference, and `id`-like names. */
export function keyColumns(table: TableProfile, profile: SchemaProfile): Set<string> {
  const keys = new Set<string>(table.primaryKey ?? []);
  for (const fk of table.foreignKeys ?? []) for (const c of fk.columns) keys.add(c);
  for (const other of profile.tables) {
    for (const fk of other.foreignKeys ?? []) {
      if (fk.references.table === table.name) for (const c of fk.references.columns) keys.add(c);
    }
  }
  const declared = profile.tables.some((t) => t.primaryKey?.length || t.foreignKeys?.length);
  if (!declared) {
    // Files loaded into DuckDB declare no keys; id-like names are the join columns there.
    for (const c of table.columns) if (/(^|_)id$|[a-z]Id$|^id_/i.test(c.name)) keys.add(c.name);
  }
  return keys;
}

/**
 * Orders tables for the prompt: by relevance to the question, with a table that links two relevant
 * tables (a bridge such as `singer_in_concert`) or that a relevant table references moved up next
 * to them. Without a question (or when nothing matches) the profile's order is kept.
 */
export function rankTables(
  profile: SchemaProfile,
  relevance: SchemaRelevance | undefined,
): Array<{ table: TableProfile; score: number }> {
  const tables = profile.tables;
  if (!relevance || Math.max(0, ...relevance.tables.values()) === 0)
    return tables.map((table) => ({ table, score: 0 }));
  const score = new Map(tables.map((t) => [t.name, relevance.tables.get(t.name) ?? 0]));
  const relevant = new Set(tables.filter((t) => (score.get(t.name) ?? 0) > 0).map((t) => t.name));
  for (const t of tables) {
    const targets = new Set((t.foreignKeys ?? []).map((fk) => fk.references.table).filter((n) => relevant.has(n)));
    // A bridge between relevant tables is needed for the join even when the question never names it.
    if (targets.size >= 2) {
      const weakest = Math.min(...[...targets].map((n) => score.get(n) ?? 0));
      score.set(t.name, Math.max(score.get(t.name) ?? 0, weakest));
    }
    if (relevant.has(t.name)) {
      for (const fk of t.foreignKeys ?? []) {
        const ref = fk.references.table;
        const boosted = (score.get(t.name) ?? 0) * 0.5;
        if ((score.get(ref) ?? 0) < boosted) score.set(ref, boosted);
      }
    }
  }
  const order = new Map(tables.map((t, i) => [t.name, i]));
  return [...tables]
    .sort(
      (a, b) =>
        (score.get(b.name) ?? 0) - (score.get(a.name) ?? 0) || (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0),
    )
    .map((table) => ({ table, score: score.get(table.name) ?? 0 }));
}
