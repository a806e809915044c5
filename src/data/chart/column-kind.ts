import type { Cell } from "../types.js";

/** How a column can be drawn: Vega-Lite's measurement types, minus `geojson`. */
export type ColumnKind = "quantitative" | "temporal" | "ordinal" | "nominal";

const NUMERIC =
  /^(u?(tiny|small|medium|big|huge)?int(eger)?\d*|int[248]|u?hugeint|uinteger|usmallint|utinyint|ubigint|decimal|numeric|number|num|real|float\d*|double( precision)?|money|(big|small)?serial\d*)\b/;
const TEMPORAL = /^(date|datetime|timestamp|timestamptz|timestamp_(s|ms|ns)|smalldatetime|datetime2|datetimeoffset)\b/;
const TEXTUAL =
  /^(varchar|text|string|char|character|nchar|nvarchar|bpchar|clob|uuid|enum|bool|boolean|logical|json|jsonb|name|citext|time|interval|bit)\b/;

/**
 * Classifies an engine's type name (DuckDB, SQLite or PostgreSQL) without looking at values.
 * Returns undefined when the name says nothing useful (SQLite's empty or `ANY` types, BLOBs, unknown names).
 *
 * @example
 * kindOfTypeName("DECIMAL(18,3)"); // "quantitative"
 * kindOfTypeName("timestamp with time zone"); // "temporal"
 */
export function kindOfTypeName(typeName: string): ColumnKind | undefined {
  const t = typeName.trim().toLowerCase();
  if (t === "" || t === "any" || t === "blob" || t === "bytea") return undefined;
  if (NUMERIC.test(t)) return "quantitative";
  if (TEMPORAL.test(t)) return "temporal";
  if (TEXTUAL.test(t)) return "nominal";
  // SQLite's affinity rules, for declared types like `VARYING CHARACTER(20)` or `UNSIGNED BIG INT`.
  if (t.includes("int")) return "quantitative";
  if (/char|clob|text/.test(t)) return "nominal";
  if (/real|floa|doub/.test(t)) return "quantitative";
  return undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True for ISO 8601 date or date-time strings that JavaScript can parse (SQLite's `2024-01-05 10:00:00` too). */
export function isDateText(value: string): boolean {
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(normaliseDateText(value)));
}

/** Writes a date-time in the ISO form every JavaScript engine parses: `T` between date and time, `+hh:mm` offsets. */
export function normaliseDateText(value: string): string {
  const iso = value.length > 10 && value[10] === " " ? `${value.slice(0, 10)}T${value.slice(11)}` : value;
  // PostgreSQL writes offsets as `+00`; JavaScript needs `+00:00`.
  return iso.length > 10 ? iso.replace(/([+-]\d{2})$/, "$1:00") : iso;
}

/** Converts a cell to a finite number, or null when it is not one (DECIMAL and BIGINT arrive as strings). */
export function toNumber(value: Cell): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && NUMBER_TEXT.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function kindOfValues(values: Cell[]): ColumnKind {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return "nominal";
  if (present.every((v) => typeof v === "number" || (typeof v === "string" && toNumber(v) !== null))) {
    return "quantitative";
  }
  if (present.every((v) => typeof v === "string" && isDateText(v))) return "temporal";
  return "nominal";
}

const YEAR_NAME = /(^|_|\b)(year|yr)$/i;

/**
 * The kind of a result column: from its type name when that is trustworthy, otherwise from its
 * values (SQLite columns computed by expressions have no type; any SQLite column may hold any value).
 * Integer years (a column named `year` with values 1000–2999) are ordinal, so they read as a sequence.
 *
 * @example
 * columnKind({ name: "day", type: "" }, ["2024-01-01", "2024-01-02"]); // "temporal"
 */
export function columnKind(column: { name: string; type: string }, values: Cell[]): ColumnKind {
  const declared = kindOfTypeName(column.type);
  const byValues = kindOfValues(values);
  let kind = declared ?? byValues;
  // A declared type the values contradict (a SQLite DATE column holding numbers) loses to the values.
  if (declared === "quantitative" && byValues !== "quantitative" && values.some((v) => v !== null)) kind = byValues;
  if (declared === "temporal" && byValues !== "temporal" && values.some((v) => v !== null)) kind = byValues;
  if (kind === "quantitative" && YEAR_NAME.test(column.name) && isYearList(values)) return "ordinal";
  return kind;
}

function isYearList(values: Cell[]): boolean {
  const numbers = values.map(toNumber).filter((n): n is number => n !== null);
  return numbers.length > 0 && numbers.every((n) => Number.isInteger(n) && n >= 1000 && n < 3000);
}
