import { histogramSpec } from "../data/chart/histogram.js";
import { suggestChart } from "../data/chart/suggest-chart.js";
import type { VegaLiteSpec } from "../data/chart/types.js";
import { quoteIdentifier, quoteTableName } from "../data/schema-text.js";
import type { DataSource, TableInfo } from "../data/types.js";
import { InvalidArgumentError } from "../spec/errors.js";
import { UsageError } from "./io.js";

/** Values a histogram reads at most; more are cut and the note says so. */
const HISTOGRAM_ROWS = 2_000_000;

export interface DrawnChart {
  spec: VegaLiteSpec;
  /** What was drawn, for the one-line report. */
  note: string;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 12).join(", ");
  return names.length > 12 ? `${shown}, ...` : shown;
}

/** The table holding the column: the one named by --table, else the only table that has it. */
function findColumn(tables: TableInfo[], column: string, table: string | undefined) {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const candidates = table === undefined ? tables : tables.filter((t) => same(t.name, table));
  if (table !== undefined && candidates.length === 0) {
    throw new UsageError(`There is no table '${table}'. Tables: ${listNames(tables.map((t) => t.name))}.`);
  }
  const holders = candidates.flatMap((t) => {
    const c = t.columns.find((col) => col.name === column) ?? t.columns.find((col) => same(col.name, column));
    return c ? [{ table: t, column: c }] : [];
  });
  if (holders.length === 1) return holders[0] as (typeof holders)[number];
  if (holders.length > 1) {
    throw new UsageError(
      `Several tables have a column '${column}' (${holders.map((h) => h.table.name).join(", ")}); pick one with --table.`,
    );
  }
  const where = table === undefined ? "any table" : `table '${table}'`;
  const columns = candidates.flatMap((t) => t.columns.map((c) => c.name));
  throw new UsageError(`There is no column '${column}' in ${where}. Columns: ${listNames(columns)}.`);
}

/**
 * The histogram of one column: reads its values through the source's checked, read-only path
 * and bins them.
 */
export async function histogramChart(
  source: DataSource,
  options: { column: string; table?: string; bins?: number },
): Promise<DrawnChart> {
  const found = findColumn(await source.tables(), options.column, options.table);
  const sql = `SELECT ${quoteIdentifier(found.column.name, source.dialect)} FROM ${quoteTableName(found.table.name, source.dialect)}`;
  const result = await source.run(sql, { maxRows: HISTOGRAM_ROWS, timeoutMs: 60_000 });
  const spec = histogramSpec({
    values: result.rows.map((r) => r[0] ?? null),
    field: found.column.name,
    bins: options.bins,
  });
  const n = result.rows.length.toLocaleString("en-US");
  const cut = result.truncated ? `, the first ${n} only` : "";
  return { spec, note: `histogram of ${found.column.name} in ${found.table.name}: ${n} rows${cut}` };
}

/** The chart that suits a query's result (see suggestChart), or a UsageError saying why there is none. */
export async function queryChart(source: DataSource, sql: string): Promise<DrawnChart> {
  const result = await source.run(sql, { maxRows: 10_000 });
  const spec = suggestChart(result);
  if (!spec) {
    throw new InvalidArgumentError({
      argument: "sql",
      message: `This result (${result.rows.length} row(s); columns ${result.columns.map((c) => `${c.name} ${c.type}`).join(", ")}) does not suit a chart: it needs at least two rows and a numeric column. For one column's distribution use --histogram <column>.`,
    });
  }
  const rule = spec.usermeta?.weft?.rule;
  return { spec, note: `${rule ? `${rule} chart` : "chart"} of ${result.rows.length} row(s)` };
}
