/**
 * Column statistics for the prompt and for `weft data schema`, computed with one aggregate query
 * per table (row count, non-null count, distinct count, min, max for every column at once) and,
 * where the engine has no top-k aggregate, one more query for the most frequent values.
 */

import { InvalidArgumentError } from "../../spec/errors.js";
import type {
  Cell,
  ColumnProfile,
  DataSource,
  QueryResult,
  SchemaProfile,
  SqlDialect,
  TableInfo,
  TableProfile,
} from "../types.js";
import { boundCell, shortText } from "./cells.js";

/** What the profiler needs to know about one engine's SQL. */
export interface ProfileDialect {
  dialect: SqlDialect;
  /** Whether min/max mean something for a column of this declared type. */
  orderable(type: string): boolean;
  /** Whether sample values are worth showing (not binary). */
  sampleable(type: string): boolean;
  distinctCount(column: string, type: string): string;
  /** The column as text, for samples. */
  asText(column: string): string;
  /** An aggregate giving the `k` most frequent non-null values as a list (DuckDB's approx_top_k). */
  topValues?(column: string, k: number): string;
  /** Columns per query, to stay under engine limits on result columns and compound SELECTs. */
  columnsPerQuery: number;
}

export interface ProfileTarget {
  info: TableInfo;
  /** The table as written in SQL, quoted. */
  ref: string;
}

/** Double-quotes an identifier for SQLite, PostgreSQL and DuckDB. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Picks the named tables (all when `names` is undefined); an unknown name is an error listing the known ones. */
export function selectTargets(targets: ProfileTarget[], names: string[] | undefined): ProfileTarget[] {
  if (names === undefined) return targets;
  return names.map((name) => {
    const found =
      targets.find((t) => t.info.name === name) ??
      targets.find((t) => t.info.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      const known = targets.map((t) => t.info.name).join(", ") || "(none)";
      throw new InvalidArgumentError({
        argument: "tables",
        message: `There is no table named '${name}'. Known tables: ${known}.`,
      });
    }
    return found;
  });
}

/**
 * Profiles each table with `run` (a trusted, read-only query runner).
 *
 * @example
 * const tables = await profileTables({ targets, dialect: sqliteProfileDialect, run, sampleValues: 5 });
 */
export async function profileTables(opts: {
  targets: ProfileTarget[];
  dialect: ProfileDialect;
  run: (sql: string, maxRows: number) => Promise<QueryResult>;
  sampleValues: number;
}): Promise<TableProfile[]> {
  const profiles: TableProfile[] = [];
  for (const target of opts.targets) profiles.push(await profileTable(target, opts));
  return profiles;
}

async function profileTable(
  target: ProfileTarget,
  opts: { dialect: ProfileDialect; run: (sql: string, maxRows: number) => Promise<QueryResult>; sampleValues: number },
): Promise<TableProfile> {
  const { dialect, run } = opts;
  const k = Math.max(0, Math.floor(opts.sampleValues));
  const { columns: infos, ...rest } = target.info;
  const columns: ColumnProfile[] = [];
  let rowCount = 0;
  for (let offset = 0; offset < Math.max(infos.length, 1); offset += dialect.columnsPerQuery) {
    const chunk = infos.slice(offset, offset + dialect.columnsPerQuery);
    const select = ["count(*)"];
    for (const column of chunk) {
      const c = quoteIdent(column.name);
      select.push(`count(${c})`, dialect.distinctCount(c, column.type));
      if (dialect.orderable(column.type)) select.push(`min(${c})`, `max(${c})`);
      if (dialect.topValues && k > 0 && dialect.sampleable(column.type)) select.push(dialect.topValues(c, k));
    }
    const stats = await run(`SELECT ${select.join(", ")} FROM ${target.ref}`, 1);
    const row = stats.rows[0] ?? [];
    rowCount = Number(row[0] ?? 0);
    const samples = dialect.topValues || k === 0 ? undefined : await topValues(target.ref, chunk, k, opts);
    let at = 1;
    chunk.forEach((column, index) => {
      const nonNull = Number(row[at++] ?? 0);
      const distinct = Math.min(Number(row[at++] ?? 0), nonNull);
      const profile: ColumnProfile = {
        ...column,
        nullShare: rowCount === 0 ? 0 : (rowCount - nonNull) / rowCount,
        distinctCount: distinct,
        samples: [],
      };
      if (dialect.orderable(column.type)) {
        profile.min = boundCell(row[at++]);
        profile.max = boundCell(row[at++]);
      }
      if (dialect.topValues && k > 0 && dialect.sampleable(column.type)) {
        profile.samples = listCell(row[at++]).map((v) => shortText(v));
      } else if (samples) {
        profile.samples = samples[index] ?? [];
      }
      columns.push(profile);
    });
  }
  return { ...rest, rowCount, columns };
}

/** The `k` most frequent values of each column, most frequent first, in one UNION ALL query. */
async function topValues(
  ref: string,
  columns: TableInfo["columns"],
  k: number,
  opts: { dialect: ProfileDialect; run: (sql: string, maxRows: number) => Promise<QueryResult> },
): Promise<string[][]> {
  const parts: string[] = [];
  columns.forEach((column, index) => {
    if (!opts.dialect.sampleable(column.type)) return;
    const c = quoteIdent(column.name);
    parts.push(
      `SELECT ${index} AS i, v, n FROM (SELECT ${opts.dialect.asText(c)} AS v, count(*) AS n FROM ${ref} WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${k}) AS s${index}`,
    );
  });
  const result: string[][] = columns.map(() => []);
  if (parts.length === 0) return result;
  const { rows } = await opts.run(parts.join(" UNION ALL "), parts.length * k);
  const ranked = rows.map(([i, v, n]) => ({ i: Number(i), v: String(v), n: Number(n) }));
  ranked.sort((a, b) => a.i - b.i || b.n - a.n || (a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
  for (const { i, v } of ranked) result[i]?.push(shortText(v));
  return result;
}

/** A list cell (a JSON array string from DuckDB) as strings. */
function listCell(cell: Cell | undefined): string[] {
  if (typeof cell !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(cell);
    return Array.isArray(parsed) ? parsed.filter((v) => v !== null).map((v) => String(v)) : [];
  } catch {
    return [];
  }
}

/**
 * Runs `load` on the first call and shares its promise with later calls; a failure is not kept,
 * so the next call tries again (e.g. after a locked database or a dropped connection).
 */
function onceUntilFailure<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * A source's `tables()` and `profile()`, from how it lists its tables (read once, retried after a
 * failure) and how it runs its own trusted read-only queries.
 */
export function schemaMethods(opts: {
  dialect: SqlDialect;
  profileDialect: ProfileDialect;
  loadTargets: () => Promise<ProfileTarget[]>;
  run: (sql: string, maxRows: number) => Promise<QueryResult>;
}): Pick<DataSource, "tables" | "profile"> {
  const targets = onceUntilFailure(opts.loadTargets);
  return {
    async tables() {
      return (await targets()).map((t) => structuredClone(t.info));
    },
    async profile(options = {}): Promise<SchemaProfile> {
      const tables = await profileTables({
        targets: selectTargets(await targets(), options.tables),
        dialect: opts.profileDialect,
        run: opts.run,
        sampleValues: options.sampleValues ?? 5,
      });
      return { dialect: opts.dialect, tables };
    },
  };
}
