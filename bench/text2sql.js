// Execution accuracy of weft's text-to-SQL (askData's SQL generation with repairs) on the Spider dev
// slice and GeoQuery: the predicted and the gold query both run on the same SQLite file through
// weft's read-only SQLite source, and their results are compared as multisets of rows (as lists
// when the gold query has ORDER BY), numbers within a relative tolerance of 1e-6.
//
//   npm run bench:text2sql -- [--gold] [--limit n] [--db name] [--model id] [--out file.json] [--verbose]
//
// --gold scores the gold SQL against itself: it must print 100%, which shows that loading, the
// safety checks and the comparison accept every gold query and its result. --control scores each
// question with the gold SQL of the next question on the same database: a low score shows that the
// comparison does not accept just anything.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { markdownTable } from "./lib/table.js";
import { GEOQUERY_DIR, loadText2SqlItems, SPIDER_DIR } from "./lib/text2sql-data.js";

const MAX_ROWS = 100_000;

const { values: args } = parseArgs({
  options: {
    gold: { type: "boolean", default: false },
    control: { type: "boolean", default: false },
    limit: { type: "string" },
    db: { type: "string" },
    model: { type: "string" },
    out: { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

function fail(message) {
  process.stderr.write(`text2sql: ${message}\n`);
  process.exit(2);
}

const limit = args.limit === undefined ? undefined : Number(args.limit);
if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
  fail(`--limit must be a positive integer, got '${args.limit}'.`);

let items = loadText2SqlItems();
if (items.length === 0) {
  console.log(`text2sql: skipped: neither ${SPIDER_DIR} nor ${GEOQUERY_DIR} is on this machine.`);
  process.exit(0);
}
if (args.db) {
  const names = [...new Set(items.map((i) => i.db))];
  items = items.filter((i) => i.db === args.db);
  if (items.length === 0) fail(`no database '${args.db}'. Databases: ${names.join(", ")}.`);
}
if (limit !== undefined) items = items.slice(0, limit);

const dist = new URL("../dist/", import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { openDataSource } = await load("data/open-source.js");
const { askData } = await load("data/ask.js");
const { doubleQuotedStringsToSingle, executionMatch, hasOrderBy } = await load("data/ask-execution-match.js");

let model;
let modelId = args.control ? "the next question's gold SQL (control)" : "gold SQL (harness check)";
let registry;
if (!args.gold && !args.control) {
  const { loadConfig, resolveModelId, createModelRegistry } = await load("models/index.js");
  const cwd = process.cwd();
  const { config } = loadConfig({ cwd, env: process.env });
  try {
    const chosen = await resolveModelId({ explicit: args.model, config, env: process.env, cwd });
    registry = createModelRegistry({ config, env: process.env, cwd });
    model = await registry.languageModel(chosen.id);
    modelId = chosen.id;
  } catch (error) {
    if (error?.code !== "no-model") throw error;
    console.log(
      "text2sql: skipped: no model is configured (pass --model provider:name or set one up; see docs/configuration.md). Run with --gold to check the harness without a model.",
    );
    process.exit(0);
  }
}

const sources = new Map();
async function sourceFor(item) {
  let entry = sources.get(item.dbPath);
  if (!entry) {
    const source = await openDataSource({ db: item.dbPath });
    const tables = await source.tables();
    const identifiers = new Set(tables.flatMap((t) => [t.name, ...t.columns.map((c) => c.name)]));
    entry = { source, identifiers };
    sources.set(item.dbPath, entry);
  }
  return entry;
}

const trimSql = (sql) => sql.trim().replace(/;\s*$/, "").trim();

/** For --control: the gold SQL of the next question on the same database. */
function neighbourGold(index) {
  const db = items[index].db;
  const same = items.filter((i) => i.db === db && i.gold.trim() !== items[index].gold.trim());
  const after = same.find((i) => items.indexOf(i) > index) ?? same[0];
  return after?.gold ?? items[index].gold;
}

const results = [];
const started = performance.now();
for (const [n, item] of items.entries()) {
  const { source, identifiers } = await sourceFor(item);
  // Gold SQL written for SQLite builds that read "France" as a string; better-sqlite3 does not.
  const gold = doubleQuotedStringsToSingle(trimSql(item.gold), identifiers);
  const record = { dataset: item.dataset, db: item.db, question: item.question, gold, predicted: null, attempts: 0 };
  let goldRows;
  try {
    goldRows = (await source.run(gold, { maxRows: MAX_ROWS })).rows;
  } catch (error) {
    results.push({ ...record, status: "gold-error", error: error.message });
    continue;
  }
  try {
    let predicted = args.control ? doubleQuotedStringsToSingle(trimSql(neighbourGold(n)), identifiers) : gold;
    let rows;
    if (model) {
      const asked = await askData({ model, source, question: item.question, answer: false, maxRows: MAX_ROWS });
      predicted = asked.sql;
      rows = asked.rows;
      record.attempts = asked.attempts.length;
      record.usage = asked.usage;
      record.costUsd = asked.costUsd;
    } else {
      rows = (await source.run(predicted, { maxRows: MAX_ROWS })).rows;
    }
    record.predicted = predicted;
    const match = executionMatch(goldRows, rows, { ordered: hasOrderBy(gold) });
    results.push({
      ...record,
      status: match.match ? "match" : "mismatch",
      reason: match.match ? undefined : match.reason,
    });
  } catch (error) {
    results.push({ ...record, status: "error", error: error.message });
  }
  if (args.verbose) {
    const r = results.at(-1);
    process.stderr.write(
      `[${n + 1}/${items.length}] ${r.status} ${r.db}: ${r.question}${r.error ? ` (${r.error})` : ""}\n`,
    );
  }
}
for (const { source } of sources.values()) await source.close();
await registry?.dispose();

const groups = new Map();
for (const r of results) {
  const key = `${r.dataset}/${r.db}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r);
}
const pct = (a, b) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)}%`);
const summarize = (label, list) => {
  const correct = list.filter((r) => r.status === "match").length;
  const repaired = list.filter((r) => r.attempts > 1).length;
  const errors = list.filter((r) => r.status === "error").length;
  const goldErrors = list.filter((r) => r.status === "gold-error").length;
  return [label, list.length, correct, pct(correct, list.length), repaired, errors, goldErrors];
};
const rows = [...groups.entries()].map(([key, list]) => summarize(key, list));
const datasets = [...new Set(results.map((r) => r.dataset))];
if (datasets.length > 1)
  for (const d of datasets)
    rows.push(
      summarize(
        `**${d}**`,
        results.filter((r) => r.dataset === d),
      ),
    );
rows.push(summarize("**all**", results));

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`Execution accuracy — ${modelId} — ${results.length} questions in ${seconds} s\n`);
console.log(markdownTable(["database", "questions", "correct", "accuracy", "repaired", "errors", "gold errors"], rows));
const failures = results.filter((r) => r.status !== "match");
if (failures.length && (args.gold || args.verbose) && !args.control) {
  console.log(`\n${failures.length} not matched:`);
  for (const r of failures.slice(0, 20)) console.log(`- ${r.db}: ${r.question} → ${r.status}: ${r.error ?? r.reason}`);
}
if (args.out) {
  writeFileSync(args.out, `${JSON.stringify({ model: modelId, results }, null, 2)}\n`);
  console.log(`\nwrote ${args.out}`);
}
