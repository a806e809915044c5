/**
 * Choosing a SQL type for a spreadsheet column from its values. One kind of value picks its type:
 * booleans → BOOLEAN, whole numbers → BIGINT, other numbers → DOUBLE, dates at midnight → DATE,
 * time-only values → TIME, other dates → TIMESTAMP. Numbers stored as text count as numbers when the
 * column also holds real numbers (Excel's "number stored as text"); a column of codes written as text
 * stays VARCHAR. Any other mix falls back to VARCHAR with every value rendered as text.
 */
import type { Plain } from "./read-workbook.js";

export type SheetColumnType = "BOOLEAN" | "BIGINT" | "DOUBLE" | "DATE" | "TIME" | "TIMESTAMP" | "VARCHAR";

export interface ColumnPlan {
  type: SheetColumnType;
  /** True when numbers or dates were mixed with text, so the column fell back to VARCHAR. */
  mixed: boolean;
}

const DAY_MS = 86_400_000;
/** Excel shows a time-only value as a date on its day zero, 1899-12-30 (or 1904-01-01 in 1904 workbooks). */
const TIME_ONLY_DAYS = new Set([
  Date.UTC(1899, 11, 30) / DAY_MS,
  Date.UTC(1899, 11, 31) / DAY_MS,
  Date.UTC(1904, 0, 1) / DAY_MS,
]);
const NUMERIC_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number written as text (`"12.5"`), or undefined. */
export function numericText(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMERIC_TEXT.test(trimmed) ? Number(trimmed) : undefined;
}

/** Picks the column's type from its non-null values. */
export function inferColumn(values: Iterable<Plain | null>): ColumnPlan {
  let booleans = 0;
  let numbers = 0;
  let fractions = false;
  let unsafe = false;
  let numericTexts = 0;
  let texts = 0;
  let dates = 0;
  let withTime = false;
  let timeOnly = true;
  for (const value of values) {
    if (value === null) continue;
    if (typeof value === "boolean") booleans++;
    else if (typeof value === "number") {
      numbers++;
      if (!Number.isInteger(value)) fractions = true;
      else if (!Number.isSafeInteger(value)) unsafe = true;
    } else if (value instanceof Date) {
      dates++;
      const ms = value.getTime();
      if (ms % DAY_MS !== 0) withTime = true;
      if (!TIME_ONLY_DAYS.has(Math.floor(ms / DAY_MS))) timeOnly = false;
    } else {
      const number = numericText(value);
      if (number === undefined) texts++;
      else {
        numericTexts++;
        if (!Number.isInteger(number)) fractions = true;
        else if (!Number.isSafeInteger(number)) unsafe = true;
      }
    }
  }
  const kinds = [booleans, numbers, dates, texts + (numbers > 0 ? 0 : numericTexts)].filter((n) => n > 0).length;
  if (kinds === 0) return { type: "VARCHAR", mixed: false };
  if (kinds > 1) return { type: "VARCHAR", mixed: numbers + dates > 0 && texts + numericTexts > 0 };
  if (booleans > 0) return { type: "BOOLEAN", mixed: false };
  if (numbers > 0) return { type: fractions || unsafe ? "DOUBLE" : "BIGINT", mixed: false };
  if (dates > 0) return { type: timeOnly && withTime ? "TIME" : withTime ? "TIMESTAMP" : "DATE", mixed: false };
  return { type: "VARCHAR", mixed: false };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** A value as VARCHAR: dates as ISO `YYYY-MM-DD[ HH:MM:SS]`, booleans as `true`/`false`. */
export function asText(value: Plain): string {
  if (!(value instanceof Date)) return String(value);
  const date = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (value.getTime() % DAY_MS === 0) return date;
  return `${date} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
}
