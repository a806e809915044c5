/** Reading an .xlsx workbook with exceljs into plain grids of cell values, one per worksheet. */
import type { Cell, CellValue, Worksheet } from "exceljs";
import { DataLoadError } from "../../../spec/errors.js";
import { NULL_TOKENS } from "../csv-source.js";
import { type ExcelJSModule, importExcelJS } from "../engines.js";
import type { InputFile } from "../input-file.js";

/** A non-empty cell value. Dates are exceljs's: UTC fields hold the wall-clock time shown in the sheet. */
export type Plain = string | number | boolean | Date;

export interface SheetGrid {
  name: string;
  /** `rows[r][c]`, 0-based; empty cells, error cells, `NULL`/`N/A`/`-` texts and merge-covered cells are null. */
  rows: Array<Array<Plain | null>>;
  /** Cells covered by a merged range other than its top-left cell: `"r,c"` → top-left `[row, column]`, 0-based. */
  mergedFrom: Map<string, [number, number]>;
  /** Formula cells that carry no saved result (the workbook was written without calculating them). */
  formulasWithoutResult: number;
}

const NULL_TEXTS = new Set(NULL_TOKENS);

function fromText(text: string): string | null {
  return NULL_TEXTS.has(text.trim()) ? null : text;
}

function richText(value: unknown): string {
  const parts = (value as { richText?: Array<{ text: string }> }).richText;
  return parts ? parts.map((part) => part.text).join("") : String(value);
}

/** A formula's saved result, a hyperlink's text, rich text joined: the value the sheet shows. */
function plainValue(value: CellValue | undefined, grid: SheetGrid): Plain | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return fromText(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if ("error" in value) return null;
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined) {
      grid.formulasWithoutResult++;
      return null;
    }
    return plainValue(result as CellValue, grid);
  }
  if ("hyperlink" in value) {
    const text = (value as { text?: unknown }).text;
    return typeof text === "string" ? fromText(text) : text ? fromText(richText(text)) : null;
  }
  if ("richText" in value) return fromText(richText(value));
  return null;
}

function readSheet(excel: ExcelJSModule, sheet: Worksheet): SheetGrid {
  const grid: SheetGrid = { name: sheet.name, rows: [], mergedFrom: new Map(), formulasWithoutResult: 0 };
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: Array<Plain | null> = [];
    row.eachCell({ includeEmpty: false }, (cell: Cell, colNumber) => {
      if (cell.type === excel.ValueType.Merge) {
        const master = cell.master;
        grid.mergedFrom.set(`${rowNumber - 1},${colNumber - 1}`, [Number(master.row) - 1, Number(master.col) - 1]);
        return;
      }
      const value = plainValue(cell.value, grid);
      if (value !== null) values[colNumber - 1] = value;
    });
    for (let i = 0; i < values.length; i++) if (values[i] === undefined) values[i] = null;
    grid.rows[rowNumber - 1] = values;
  });
  for (let i = 0; i < grid.rows.length; i++) if (grid.rows[i] === undefined) grid.rows[i] = [];
  return grid;
}

/**
 * Parses the workbook and returns its worksheets in tab order. Throws DataLoadError when the file is
 * not a readable workbook (a corrupt zip, or a zip that holds no worksheets).
 */
export async function readWorkbook(file: InputFile): Promise<SheetGrid[]> {
  const excel = await importExcelJS();
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.readFile(file.path);
  } catch (error) {
    throw new DataLoadError({
      path: file.path,
      message: `${file.name} is not a valid .xlsx workbook (${(error as Error).message.split("\n")[0]}). Check that the file is complete, or open it in a spreadsheet program and save it again as .xlsx.`,
      cause: error,
    });
  }
  if (workbook.worksheets.length === 0) {
    throw new DataLoadError({
      path: file.path,
      message: `${file.name} is not a valid .xlsx workbook: it is a zip archive without worksheets. Save the data from a spreadsheet program as .xlsx.`,
    });
  }
  return workbook.worksheets.map((sheet) => readSheet(excel, sheet));
}
