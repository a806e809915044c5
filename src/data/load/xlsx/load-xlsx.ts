/**
 * .xlsx workbooks: every sheet with data becomes a table named after the sheet, filled through
 * DuckDB's appender.
 *
 * Merged cells: in the header, every cell of a merged range carries the range's text (a group header
 * names each column under it). In the data, a range merged down one column fills each of its rows
 * (a category spanning several records); the other columns of a range merged across stay NULL, so a
 * label spread over numeric columns does not turn them into text.
 */
import { parse as parsePath } from "node:path";
import { AbortError, DataLoadError } from "../../../spec/errors.js";
import { claimName, columnLetters, quoteIdentifier, safeIdentifier } from "../identifiers.js";
import type { InputFile } from "../input-file.js";
import { claimTableName, describeTable, type LoadContext, writeComments } from "../load-context.js";
import type { LoadedTable } from "../loaded-table.js";
import { detectHeader, type HeaderLayout } from "./header.js";
import { asText, type ColumnPlan, inferColumn, numericText } from "./infer-column.js";
import { type Plain, readWorkbook, type SheetGrid } from "./read-workbook.js";

const DAY_MS = 86_400_000;
/** Sheet names spreadsheet programs give by default; a lone sheet so named takes the file's name instead. */
const DEFAULT_SHEET_NAME = /^(sheet|feuil|tabelle|hoja|foglio|blad|ark|planilha|arkusz)\s*\d*$/i;

type Appender = Awaited<ReturnType<LoadContext["connection"]["createAppender"]>>;

interface SheetTable {
  grid: SheetGrid;
  layout: HeaderLayout;
  /** Data rows: one value per kept column. */
  rows: Array<Array<Plain | null>>;
}

/** A data cell's value, with a merged range filling down its own column only. */
function dataValue(grid: SheetGrid, row: number, column: number, bodyStart: number): Plain | null {
  const value = grid.rows[row]?.[column] ?? null;
  if (value !== null) return value;
  const master = grid.mergedFrom.get(`${row},${column}`);
  if (!master || master[1] !== column || master[0] < bodyStart) return null;
  return grid.rows[master[0]]?.[master[1]] ?? null;
}

function dataRows(grid: SheetGrid, layout: HeaderLayout): Array<Array<Plain | null>> {
  const rows: Array<Array<Plain | null>> = [];
  for (let r = layout.bodyStart; r < grid.rows.length; r++) {
    const values = layout.columns.map(({ index }) => dataValue(grid, r, index, layout.bodyStart));
    if (values.some((value) => value !== null)) rows.push(values);
  }
  return rows;
}

function appendValue(context: LoadContext, appender: Appender, plan: ColumnPlan, value: Plain | null): void {
  if (value === null) {
    appender.appendNull();
    return;
  }
  const { duckdb } = context;
  const number = () => (typeof value === "string" ? (numericText(value) ?? Number.NaN) : (value as number));
  const ms = () => (value as Date).getTime();
  switch (plan.type) {
    case "BOOLEAN":
      appender.appendBoolean(value as boolean);
      break;
    case "BIGINT":
      appender.appendBigInt(BigInt(number()));
      break;
    case "DOUBLE":
      appender.appendDouble(number());
      break;
    case "DATE":
      appender.appendDate(new duckdb.DuckDBDateValue(Math.floor(ms() / DAY_MS)));
      break;
    case "TIME":
      appender.appendTime(new duckdb.DuckDBTimeValue(BigInt(ms() - Math.floor(ms() / DAY_MS) * DAY_MS) * 1000n));
      break;
    case "TIMESTAMP":
      appender.appendTimestamp(new duckdb.DuckDBTimestampValue(BigInt(ms()) * 1000n));
      break;
    default:
      appender.appendVarchar(asText(value));
  }
}

function columnNames(context: LoadContext, layout: HeaderLayout): Array<{ name: string; comment?: string }> {
  const taken = new Set<string>();
  return layout.columns.map(({ index, parts }) => {
    const original = parts.join(" ");
    const wanted =
      parts.length === 0
        ? `column_${columnLetters(index)}`
        : safeIdentifier(parts.join(" "), {
            fallback: `column_${columnLetters(index)}`,
            prefix: "c_",
            reserved: context.reserved,
          });
    const name = claimName(wanted, taken);
    return name === original || parts.length === 0 ? { name } : { name, comment: parts.join(" / ") };
  });
}

function sheetWarnings(file: InputFile, sheet: SheetTable, table: string, origin: string): string[] {
  const warnings: string[] = [];
  if (sheet.layout.headerRows.length === 0) {
    warnings.push(`${origin} has no header row; its columns are named by letter (column_a, column_b, ...).`);
  }
  if (sheet.layout.skippedAbove > 0) {
    warnings.push(`Skipped ${sheet.layout.skippedAbove} row(s) above the header of ${origin} (titles or notes).`);
  }
  if (sheet.grid.formulasWithoutResult > 0) {
    warnings.push(
      `${sheet.grid.formulasWithoutResult} formula cell(s) in ${origin} have no saved result and were loaded as NULL; open and save ${file.name} in a spreadsheet program to compute them.`,
    );
  }
  if (sheet.rows.length === 0) warnings.push(`${origin} has a header but no data rows; table '${table}' is empty.`);
  return warnings;
}

async function writeSheet(context: LoadContext, file: InputFile, sheet: SheetTable, table: string, origin: string) {
  const plans = sheet.layout.columns.map((_, i) => inferColumn(sheet.rows.map((row) => row[i] ?? null)));
  const names = columnNames(context, sheet.layout);
  const definitions = names.map(({ name }, i) => `${quoteIdentifier(name)} ${plans[i]?.type ?? "VARCHAR"}`);
  await context.connection.run(`CREATE TABLE ${quoteIdentifier(table)} (${definitions.join(", ")})`);
  const appender = await context.connection.createAppender(table);
  try {
    for (let r = 0; r < sheet.rows.length; r++) {
      if (r % 10_000 === 0 && context.abortSignal?.aborted) throw new AbortError({ cause: context.abortSignal.reason });
      const row = sheet.rows[r] ?? [];
      for (let i = 0; i < plans.length; i++) appendValue(context, appender, plans[i] as ColumnPlan, row[i] ?? null);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  const comments = new Map<string, string>();
  names.forEach(({ name, comment }, i) => {
    if (comment) comments.set(name, comment);
    if (plans[i]?.mixed) {
      context.warnings.push(
        `Column '${name}' of ${origin} mixes numbers or dates with text; it was loaded as VARCHAR.`,
      );
    }
  });
  await writeComments(context, table, origin, comments);
  context.warnings.push(...sheetWarnings(file, sheet, table, origin));
  return describeTable(context, table, origin);
}

/** Loads every non-empty sheet of a workbook; throws DataLoadError when none has data. */
export async function loadXlsx(context: LoadContext, file: InputFile): Promise<LoadedTable[]> {
  const grids = await readWorkbook(file);
  const sheets: SheetTable[] = [];
  for (const grid of grids) {
    const layout = detectHeader(grid);
    if (layout === undefined) {
      context.warnings.push(`Sheet '${grid.name}' in ${file.name} is empty; skipped.`);
      continue;
    }
    sheets.push({ grid, layout, rows: dataRows(grid, layout) });
  }
  if (sheets.length === 0) {
    throw new DataLoadError({
      path: file.path,
      message: `${file.name} has no data: every sheet is empty. Check that you picked the right workbook.`,
    });
  }
  const single = sheets.length === 1 && DEFAULT_SHEET_NAME.test(sheets[0]?.grid.name.trim() ?? "");
  const tables: LoadedTable[] = [];
  for (const sheet of sheets) {
    if (context.abortSignal?.aborted) throw new AbortError({ cause: context.abortSignal.reason });
    const origin = `${file.name}#${sheet.grid.name}`;
    const source = single ? parsePath(file.name).name : sheet.grid.name;
    const wanted = safeIdentifier(source, { fallback: "sheet", prefix: "t_", reserved: context.reserved });
    tables.push(await writeSheet(context, file, sheet, claimTableName(context, wanted, origin), origin));
  }
  return tables;
}
