/**
 * Finding a sheet's header: which rows name the columns, and where the data starts.
 *
 * The header is the densest row among the first few that is mostly distinct text (or text with years
 * or dates as labels), found before the first row that looks like data; sparser rows above it
 * (titles, notes) are skipped. The rows right
 * under it join the header while they hold only text that sits above numbers or dates (a units row
 * such as `hrs`/`Sm3`), continue a merged header cell, or sit under a header cell merged across
 * columns (a group header over sub-headers). Header parts join top to bottom into one name, so
 * `On Stream` over `hrs` becomes `on_stream_hrs`: units stay visible in SQL.
 */
import type { Plain, SheetGrid } from "./read-workbook.js";

export interface HeaderLayout {
  /** 0-based indexes of the header rows, top to bottom; empty when no row looks like a header. */
  headerRows: number[];
  /** Index of the first row after the header. */
  bodyStart: number;
  /** Non-empty rows above the header that were skipped. */
  skippedAbove: number;
  /** Kept columns, left to right: 0-based index and header texts (top to bottom, repeats removed). */
  columns: Array<{ index: number; parts: string[] }>;
}

/** How many non-empty rows from the top may hold the header. */
const HEADER_SCAN = 10;
/** How many non-empty rows under a possible units row decide what its columns hold. */
const BODY_SAMPLE = 50;
/** At most two rows continue the header. */
const MAX_HEADER_ROWS = 3;

/** A cell's value, or for a merge-covered cell the value of the merged range's top-left cell. */
export function filledValue(grid: SheetGrid, row: number, column: number): Plain | null {
  const value = grid.rows[row]?.[column] ?? null;
  if (value !== null) return value;
  const master = grid.mergedFrom.get(`${row},${column}`);
  return master ? (grid.rows[master[0]]?.[master[1]] ?? null) : null;
}

function rawCells(grid: SheetGrid, row: number): Array<{ column: number; value: Plain }> {
  const cells: Array<{ column: number; value: Plain }> = [];
  (grid.rows[row] ?? []).forEach((value, column) => {
    if (value !== null) cells.push({ column, value });
  });
  return cells;
}

function isEmptyRow(grid: SheetGrid, row: number, columns: number[]): boolean {
  return columns.every((column) => filledValue(grid, row, column) === null);
}

function isYearOrDate(value: Plain): boolean {
  return value instanceof Date || (Number.isInteger(value) && (value as number) >= 1900 && (value as number) <= 2100);
}

/** A header cell as text: dates as `YYYY-MM-DD`, numbers as written. */
export function headerText(value: Plain): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

/** What the first non-empty values of a column below `row` mostly are: typed (numbers, dates, booleans), text, or nothing. */
function columnBody(grid: SheetGrid, row: number, column: number): "typed" | "text" | "empty" {
  let typed = 0;
  let seen = 0;
  for (let r = row + 1; r < grid.rows.length && seen < BODY_SAMPLE; r++) {
    const value = grid.rows[r]?.[column] ?? null;
    if (value === null) continue;
    seen++;
    if (typeof value !== "string") typed++;
  }
  if (seen === 0) return "empty";
  return typed * 2 >= seen ? "typed" : "text";
}

function continuesHeader(grid: SheetGrid, row: number, headerRows: number[]): boolean {
  const cells = rawCells(grid, row);
  if (cells.some((cell) => typeof cell.value !== "string")) return false;
  // Columns spanned by a header cell merged across columns in the row above: a group header over sub-headers.
  const grouped = new Set<number>();
  for (const [key, [masterRow, masterColumn]] of grid.mergedFrom) {
    if (!headerRows.includes(masterRow)) continue;
    const [slaveRow, slaveColumn] = key.split(",").map(Number);
    if (slaveRow === row) return true; // a header cell merged down into this row
    const directlyAbove = masterRow === row - 1;
    if (directlyAbove && slaveRow === masterRow && slaveColumn !== undefined)
      grouped.add(slaveColumn).add(masterColumn);
  }
  if (cells.length === 0) return false;
  if (cells.filter((cell) => grouped.has(cell.column)).length >= 2) return true;
  // A units row: text only above columns of numbers or dates (or columns with no values at all).
  const bodies = cells.map((cell) => columnBody(grid, row, cell.column));
  return bodies.includes("typed") && !bodies.includes("text");
}

/** Lays out a sheet: its header rows, first data row and named columns. Undefined for an empty sheet. */
export function detectHeader(grid: SheetGrid): HeaderLayout | undefined {
  const used = new Set<number>();
  const nonEmptyRows: number[] = [];
  grid.rows.forEach((values, row) => {
    let any = false;
    values.forEach((value, column) => {
      if (value !== null) {
        used.add(column);
        any = true;
      }
    });
    if (any) nonEmptyRows.push(row);
  });
  if (nonEmptyRows.length === 0) return undefined;
  const usedColumns = [...used].sort((a, b) => a - b);

  let header = -1;
  let bestCoverage = 0;
  for (const row of nonEmptyRows.slice(0, HEADER_SCAN)) {
    const cells = rawCells(grid, row);
    const filled = usedColumns.filter((column) => filledValue(grid, row, column) !== null).length;
    // A lone value is a title even when merged across the whole width.
    const coverage = (cells.length <= 1 ? cells.length : filled) / usedColumns.length;
    const texts = cells.filter((cell) => typeof cell.value === "string").length;
    // Mostly distinct: real headers sometimes repeat a name, a units row (`Sm3`, `Sm3`, ...) mostly does.
    const distinct = new Set(cells.map((cell) => headerText(cell.value))).size >= cells.length * 0.75;
    // Years and dates also label columns (`Region | 2019 | 2020`), as long as some text is there too.
    const labels = cells.filter((cell) => typeof cell.value === "string" || isYearOrDate(cell.value)).length;
    const headerLike = texts >= 1 && (texts * 2 >= cells.length || labels === cells.length) && distinct;
    if (headerLike && coverage > bestCoverage) {
      header = row;
      bestCoverage = coverage;
    }
    if (!headerLike && coverage >= 0.5) break;
  }
  if (header >= 0 && bestCoverage < 0.5) header = -1;

  const headerRows: number[] = header >= 0 ? [header] : [];
  while (headerRows.length > 0 && headerRows.length < MAX_HEADER_ROWS) {
    const next = (headerRows.at(-1) ?? 0) + 1;
    if (next >= grid.rows.length || isEmptyRow(grid, next, usedColumns)) break;
    if (!continuesHeader(grid, next, headerRows)) break;
    headerRows.push(next);
  }
  const bodyStart = headerRows.length > 0 ? (headerRows.at(-1) ?? 0) + 1 : (nonEmptyRows[0] ?? 0);
  const skippedAbove = nonEmptyRows.filter((row) => row < (headerRows[0] ?? bodyStart)).length;

  const withBody = new Set<number>();
  for (let row = bodyStart; row < grid.rows.length; row++) {
    (grid.rows[row] ?? []).forEach((value, column) => {
      if (value !== null) withBody.add(column);
    });
  }
  const columns = usedColumns.flatMap((index) => {
    const parts: string[] = [];
    for (const row of headerRows) {
      const value = filledValue(grid, row, index);
      const text = value === null ? "" : headerText(value);
      if (text !== "" && parts.at(-1) !== text) parts.push(text);
    }
    return parts.length > 0 || withBody.has(index) ? [{ index, parts }] : [];
  });
  return { headerRows, bodyStart, skippedAbove, columns };
}
