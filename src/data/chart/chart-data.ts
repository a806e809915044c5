import type { Cell, QueryResult } from "../types.js";
import { type ColumnKind, columnKind, normaliseDateText, toNumber } from "./column-kind.js";

/** One result column as the chart rules see it. */
export interface ChartColumn {
  /** Key in the inlined data objects: the column name, made unique and non-empty. */
  name: string;
  kind: ColumnKind;
  /** Distinct non-null values. */
  distinct: number;
  /** Non-null values. */
  present: number;
}

export interface ChartTable {
  columns: ChartColumn[];
  /** Row objects with numbers as numbers and date-times in ISO form, ready for `data.values`. */
  values: Array<Record<string, string | number | boolean | null>>;
}

function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    const base = raw.trim() === "" ? `column_${i + 1}` : raw;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}

function convert(value: Cell, kind: ColumnKind): string | number | boolean | null {
  if (value === null) return null;
  if (kind === "quantitative" || kind === "ordinal") return toNumber(value);
  if (kind === "temporal" && typeof value === "string") return normaliseDateText(value);
  return value;
}

/**
 * Classifies a query result's columns and turns its rows into the objects Vega-Lite reads.
 *
 * @example
 * const { columns, values } = chartTable(result);
 */
export function chartTable(result: QueryResult): ChartTable {
  const names = uniqueNames(result.columns.map((c) => c.name));
  const columns = result.columns.map((column, i): ChartColumn => {
    const cells = result.rows.map((row) => row[i] ?? null);
    const kind = columnKind(column, cells);
    const present = cells.filter((v) => v !== null);
    return { name: names[i] as string, kind, distinct: new Set(present.map(String)).size, present: present.length };
  });
  const values = result.rows.map((row) => {
    const record: Record<string, string | number | boolean | null> = {};
    columns.forEach((column, i) => {
      record[column.name] = convert(row[i] ?? null, column.kind);
    });
    return record;
  });
  return { columns, values };
}

/**
 * Writes a data key as a Vega-Lite field reference: dots and brackets would otherwise address nested values.
 *
 * @example
 * fieldRef("sum(a.b)"); // "sum(a\\.b)"
 */
export function fieldRef(name: string): string {
  return name.replace(/[\\.[\]]/g, (c) => `\\${c}`);
}

/**
 * A readable axis title from a column name: `total_sales` and `totalSales` → `Total sales`. Names that already contain
 * spaces or punctuation other than `_` are kept as written.
 *
 * @example
 * axisTitle("order_date"); // "Order date"
 */
export function axisTitle(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name)) return name;
  const words = name
    .replace(/([a-z0-9])([A-Z])(?=[a-z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`)
    .replace(/_+/g, " ")
    .trim();
  if (words === "") return name;
  return words.charAt(0).toUpperCase() + words.slice(1);
}
