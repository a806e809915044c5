import { columnKey, keyColumns, rankTables, type SchemaRelevance, schemaRelevance } from "./schema-relevance.js";
import type { ColumnProfile, SchemaProfile, SqlDialect, TableProfile } from "./types.js";

/** Counts tokens; may be async. */
export type CountTokens = (text: string) => number | Promise<number>;

/** How much is said about each column. */
export type SchemaDetail = "full" | "brief" | "bare";

export interface SchemaPromptOptions {
  /** With a question, a schema too large for the budget keeps the tables and columns it is about. */
  question?: string;
  /** Most tokens the schema text may take (default 3000). */
  tokenBudget?: number;
  /** Token counter (default: gpt-tokenizer's o200k_base, loaded on first use). */
  countTokens?: CountTokens;
}

export interface SchemaPrompt {
  text: string;
  /** Tokens of `text` by the counter used. */
  tokens: number;
  /** The most detailed level that fit: every table and column at `full`, `brief` or `bare`, else `selected`. */
  detail: SchemaDetail | "selected";
  /** Tables shown, in the order shown. */
  tables: string[];
  /** Tables left out to fit the budget. */
  omittedTables: string[];
  /** Columns left out of tables that are shown. */
  omittedColumns: number;
}

export const DEFAULT_SCHEMA_TOKENS = 3000;

const DIALECT_NAMES: Record<SqlDialect, string> = { duckdb: "DuckDB", sqlite: "SQLite", postgres: "PostgreSQL" };

// Words that must be quoted as identifiers in at least one of the three dialects.
const RESERVED = new Set(
  "all alter and any as asc between by case cast check column constraint create cross default delete desc distinct drop else end except exists false fetch for foreign from full group having in index inner insert intersect into is join left like limit natural not null offset on or order outer primary references right select set table then to true union unique update user using values when where window with".split(
    " ",
  ),
);

/** Writes an identifier so that the dialect reads it back exactly (quoted when needed). */
export function quoteIdentifier(name: string, dialect: SqlDialect): string {
  // PostgreSQL folds unquoted names to lower case, so any capital letter needs quotes there.
  const plain = dialect === "postgres" ? /^[a-z_][a-z0-9_]*$/ : /^[A-Za-z_][A-Za-z0-9_]*$/;
  if (plain.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** A table name as SQL: `schema.table` keeps its dot, each part quoted when needed. */
export function quoteTableName(name: string, dialect: SqlDialect): string {
  const parts = name.split(".");
  if (parts.length === 2 && parts.every((p) => p.length > 0))
    return parts.map((p) => quoteIdentifier(p, dialect)).join(".");
  return quoteIdentifier(name, dialect);
}

const ORDERED_TYPE = /INT|REAL|DOUBLE|FLOAT|NUMERIC|DECIMAL|NUMBER|SERIAL|MONEY|DATE|TIME|INTERVAL/i;

function literal(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(Number.isInteger(value) ? value : Number(value.toPrecision(6)));
  return `'${value.replaceAll("'", "''")}'`;
}

function percent(share: number): string {
  const p = share * 100;
  return p > 0 && p < 1 ? "<1%" : `${Math.round(p)}%`;
}

/** The comment after a column: null share, distinct count, range or sample values. */
function columnNote(c: ColumnProfile, rowCount: number, detail: SchemaDetail): string {
  if (detail === "bare") return "";
  const notes: string[] = [];
  if (c.nullShare > 0) notes.push(`${percent(c.nullShare)} null`);
  if (rowCount > 0 && c.nullShare < 1) notes.push(`${c.distinctCount} distinct`);
  const ordered = ORDERED_TYPE.test(c.type);
  const samples = c.samples.slice(0, detail === "full" ? 3 : 2);
  if (ordered && c.min !== undefined && c.min !== null && c.max !== undefined) {
    notes.push(c.min === c.max ? `always ${literal(c.min)}` : `${literal(c.min)} to ${literal(c.max)}`);
  } else if (samples.length) {
    // When the samples are every value, saying so lets the model use the exact spelling in WHERE.
    const every = c.distinctCount > 0 && c.distinctCount <= samples.length;
    notes.push(`${every ? "values" : "e.g."} ${samples.map((s) => literal(s)).join(", ")}`);
  }
  if (detail === "brief" && notes.length > 2) notes.splice(0, notes.length - 2);
  return notes.length ? ` -- ${notes.join(", ")}` : "";
}

interface TableBlock {
  head: string;
  /** One line per column, in table order, each without its separator. */
  columns: Array<{ name: string; line: string }>;
  /** FOREIGN KEY lines. */
  keys: string[];
  tail: string;
}

function tableBlock(t: TableProfile, dialect: SqlDialect, detail: SchemaDetail): TableBlock {
  const pk = t.primaryKey ?? [];
  const origin = t.origin && detail !== "bare" ? `, from ${t.origin}` : "";
  const columns = t.columns.map((c) => {
    const key = pk.length === 1 && pk[0] === c.name ? " PRIMARY KEY" : "";
    return {
      name: c.name,
      line: `  ${quoteIdentifier(c.name, dialect)} ${c.type}${key}${columnNote(c, t.rowCount, detail)}`,
    };
  });
  const keys = (t.foreignKeys ?? []).map(
    (fk) =>
      `  FOREIGN KEY (${fk.columns.map((c) => quoteIdentifier(c, dialect)).join(", ")}) REFERENCES ${quoteTableName(fk.references.table, dialect)}(${fk.references.columns.map((c) => quoteIdentifier(c, dialect)).join(", ")})`,
  );
  if (pk.length > 1) keys.unshift(`  PRIMARY KEY (${pk.map((c) => quoteIdentifier(c, dialect)).join(", ")})`);
  return {
    head: `CREATE TABLE ${quoteTableName(t.name, dialect)} ( -- ${t.rowCount} rows${origin}`,
    columns,
    keys,
    tail: ");",
  };
}

/**
 * Renders a block with the chosen columns. A comma ends every line but the last; comments come
 * after the comma so the block stays valid SQL.
 */
function renderBlock(block: TableBlock, keep?: Set<string>): string {
  const cols = keep ? block.columns.filter((c) => keep.has(c.name)) : block.columns;
  const lines = [...cols.map((c) => c.line), ...block.keys];
  const body = lines.map((line, i) => {
    const last = i === lines.length - 1;
    const at = line.indexOf(" -- ");
    if (last) return line;
    return at < 0 ? `${line},` : `${line.slice(0, at)},${line.slice(at)}`;
  });
  const hidden = block.columns.length - cols.length;
  if (hidden > 0) body.push(`  -- ${hidden} more column${hidden === 1 ? "" : "s"} not shown`);
  return [block.head, ...body, block.tail].join("\n");
}

function header(profile: SchemaProfile): string {
  const n = profile.tables.length;
  return `-- ${DIALECT_NAMES[profile.dialect]} database, ${n} table${n === 1 ? "" : "s"}. Comments give row counts, null shares, distinct counts, ranges and sample values.`;
}

async function defaultCounter(): Promise<CountTokens> {
  const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
  return (text) => countTokens(text, { disallowedSpecial: new Set() });
}

/**
 * Describes a schema profile for a text-to-SQL prompt as compact `CREATE TABLE` blocks whose
 * comments carry row counts, null shares, distinct counts, ranges and sample values, within a
 * token budget. When everything does not fit, detail is reduced first; when even names and types
 * do not fit, the tables and columns most relevant to the question (BM25 over names and sample
 * values) are kept, always with the key columns that joins need, and the rest is listed as omitted.
 *
 * @example
 * const profile = await source.profile();
 * const { text } = await schemaForPrompt(profile, { question: "Which well produced most oil?", tokenBudget: 1500 });
 */
export async function schemaForPrompt(
  profile: SchemaProfile,
  options: SchemaPromptOptions = {},
): Promise<SchemaPrompt> {
  const budget = options.tokenBudget ?? DEFAULT_SCHEMA_TOKENS;
  const count = options.countTokens ?? (await defaultCounter());
  const head = header(profile);
  const names = profile.tables.map((t) => t.name);

  for (const detail of ["full", "brief", "bare"] as const) {
    const text = [head, ...profile.tables.map((t) => renderBlock(tableBlock(t, profile.dialect, detail)))].join("\n");
    const tokens = await count(text);
    if (tokens <= budget) return { text, tokens, detail, tables: names, omittedTables: [], omittedColumns: 0 };
  }

  const question = options.question?.trim();
  const relevance = question ? schemaRelevance(profile, question) : undefined;
  const ranked = rankTables(profile, relevance);
  return select(profile, ranked, relevance, { budget, count, head });
}

async function select(
  profile: SchemaProfile,
  ranked: Array<{ table: TableProfile; score: number }>,
  relevance: SchemaRelevance | undefined,
  ctx: { budget: number; count: CountTokens; head: string },
): Promise<SchemaPrompt> {
  const { budget, count, head } = ctx;
  // Room for the closing list of omitted tables.
  const reserve = Math.min(200, Math.floor(budget / 5));
  let used = (await count(head)) + 1;
  const chosen: Array<{ table: TableProfile; keep?: Set<string> }> = [];
  let omittedColumns = 0;

  const focused = ranked.some((r) => r.score > 0);
  for (const { table, score } of ranked) {
    const block = tableBlock(table, profile.dialect, "brief");
    const whole = renderBlock(block);
    const wholeTokens = (await count(whole)) + 1;
    if (used + wholeTokens <= budget - reserve) {
      chosen.push({ table });
      used += wholeTokens;
      continue;
    }
    // A table the question is not about is shown whole or not at all.
    if (focused && score === 0) continue;
    // Only part of the table fits: its keys, then columns by relevance to the question.
    const keys = keyColumns(table, profile);
    const byRelevance = table.columns
      .filter((c) => !keys.has(c.name))
      .map((c, i) => ({ name: c.name, i, score: relevance?.columns.get(columnKey(table.name, c.name)) ?? 0 }))
      .sort((a, b) => b.score - a.score || a.i - b.i);
    const keep = new Set(keys);
    let tokens = (await count(renderBlock(block, keep))) + 1;
    if (used + tokens > budget - reserve) continue;
    for (const c of byRelevance) {
      keep.add(c.name);
      const next = (await count(renderBlock(block, keep))) + 1;
      if (used + next > budget - reserve) {
        keep.delete(c.name);
        break;
      }
      tokens = next;
    }
    chosen.push({ table, keep });
    used += tokens;
  }

  // Keep the profile's order on the page: it is how the user knows the tables.
  const inOrder = () => profile.tables.flatMap((t) => chosen.filter((c) => c.table === t));
  const omittedNames = () => {
    const shown = new Set(chosen.map((c) => c.table.name));
    return profile.tables.filter((t) => !shown.has(t.name)).map((t) => t.name);
  };
  const render = (omittedList: string[], total = omittedList.length) => {
    const blocks = inOrder().map((c) => renderBlock(tableBlock(c.table, profile.dialect, "brief"), c.keep));
    const tail = omittedList.length
      ? [
          `-- ${total} more table${total === 1 ? "" : "s"} not shown${total > omittedList.length ? ", among them" : ""}: ${omittedList.map((n) => quoteTableName(n, profile.dialect)).join(", ")}`,
        ]
      : [];
    return [head, ...blocks, ...tail].join("\n");
  };
  const all = omittedNames();
  let list = all;
  let text = render(list);
  let tokens = await count(text);
  // The names of omitted tables are a courtesy; shorten the list rather than exceed the budget.
  while (tokens > budget && list.length > 0) {
    list = list.slice(0, Math.floor(list.length / 2));
    text = render(list, all.length);
    tokens = await count(text);
  }
  // Token counts of pieces do not add up exactly; drop the least relevant table until the whole fits.
  while (tokens > budget && chosen.length > 1) {
    chosen.pop();
    text = render([]);
    tokens = await count(text);
  }
  for (const c of chosen) if (c.keep) omittedColumns += c.table.columns.length - c.keep.size;
  const shownTables = inOrder();
  return {
    text,
    tokens,
    detail: "selected",
    tables: shownTables.map((c) => c.table.name),
    omittedTables: omittedNames(),
    omittedColumns,
  };
}
