import type { Cell } from "../data/types.js";

// East Asian wide and fullwidth characters take two terminal columns.
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;
// Combining marks and zero-width characters take none.
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]/u;

/** Terminal columns a string takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return width;
}

/** Cuts a string to at most `width` terminal columns, marking the cut with "…". */
export function fitWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

function pad(text: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

function cellText(cell: Cell): string {
  if (cell === null) return "NULL";
  if (typeof cell === "number") return Number.isInteger(cell) ? String(cell) : String(Number(cell.toPrecision(10)));
  return String(cell).replace(/[\r\n\t]+/g, " ");
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export interface TableTextOptions {
  /** Widest a column may be, in terminal columns (default 40). */
  maxColumnWidth?: number;
}

/**
 * Renders rows as an aligned plain-text table: a header, a rule, one line per row, numbers
 * right-aligned, NULL spelled out and long cells cut with "…".
 *
 * @example
 * tableText(["name", "age"], [["Ann", 29], ["Joe", 52]]);
 * // name  age
 * // ────  ───
 * // Ann    29
 * // Joe    52
 */
export function tableText(columns: string[], rows: Cell[][], options: TableTextOptions = {}): string {
  const max = options.maxColumnWidth ?? 40;
  const body = rows.map((row) => columns.map((_, i) => fitWidth(cellText(row[i] ?? null), max)));
  const head = columns.map((c) => fitWidth(c, max));
  // A column is numeric when every non-null cell is a number: those align right.
  const numeric = columns.map((_, i) =>
    rows.some((r) => r[i] !== null && r[i] !== undefined)
      ? rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === "number" || NUMERIC.test(String(r[i])))
      : false,
  );
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...body.map((r) => displayWidth(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, numeric[i] ?? false))
      .join("  ")
      .trimEnd();
  return [line(head), widths.map((w) => "─".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
