/**
 * CSV and TSV through DuckDB's built-in `read_csv`. The delimiter is chosen here from the header line:
 * when DuckDB's own sniffer meets a ragged file it silently falls back to one column holding whole
 * lines, and a fixed delimiter makes it fail loudly instead.
 *
 * Ragged rows are an error, not NULL-padded: a row with a missing or extra field usually means the
 * fields after the gap belong to other columns, and padding would load them misaligned without a trace.
 * The error names the line so it can be fixed.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { DataLoadError } from "../../spec/errors.js";
import { sqlString } from "./identifiers.js";
import type { InputFile } from "./input-file.js";

/** Cell texts read as NULL in CSV and spreadsheet cells alike. */
export const NULL_TOKENS: readonly string[] = ["", "NULL", "null", "N/A", "n/a", "#N/A", "-"];

const CANDIDATES = [",", ";", "\t", "|"];

/** The candidate delimiter occurring most often outside quotes in the first line; `,` when none does. */
export function detectDelimiter(head: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of head) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && CANDIDATES.includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ",";
  let bestCount = 0;
  for (const [char, count] of counts) {
    if (count > bestCount) [best, bestCount] = [char, count];
  }
  return best;
}

async function readStart(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** The `read_csv(...)` expression for a file; `encoding` is set only when retrying a non-UTF-8 file. */
export async function csvSource(file: InputFile, encoding?: string): Promise<string> {
  const delimiter = file.format === "tsv" ? "\t" : detectDelimiter(await readStart(file.path));
  const nulls = NULL_TOKENS.map(sqlString).join(", ");
  const options = [
    `delim = ${sqlString(delimiter)}`,
    "header = true",
    // The sniffer may otherwise decide to skip leading lines: it took the one ragged last line of a
    // file as its header and loaded zero rows.
    "skip = 0",
    // Type detection over the whole file: a sample can miss the one text value in a numeric column.
    "sample_size = -1",
    `nullstr = [${nulls}]`,
  ];
  if (encoding) options.push(`encoding = ${sqlString(encoding)}`);
  return `read_csv(${sqlString(file.path)}, ${options.join(", ")})`;
}

/** True when DuckDB refused the file for its encoding, so a Latin-1 retry makes sense. */
export function isEncodingError(error: unknown): boolean {
  return /invalid unicode|not utf-8 encoded/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * Turns a DuckDB CSV failure into a DataLoadError. Re-reads the file with csv-parse to name the
 * first line whose field count differs from the header's, which DuckDB's sniffer error does not say.
 */
export async function diagnoseCsvError(file: InputFile, error: unknown): Promise<DataLoadError> {
  const delimiter = file.format === "tsv" ? "\t" : detectDelimiter(await readStart(file.path));
  const { parse } = await import("csv-parse");
  try {
    const records = createReadStream(file.path).pipe(
      parse({ delimiter, bom: true, skip_empty_lines: true, relax_quotes: true }),
    );
    for await (const _record of records) {
      // Reading is the check: csv-parse throws at the first record with a different field count.
    }
  } catch (parseError) {
    const detail = parseError as { code?: string; lines?: number; record?: unknown[]; message?: string };
    if (detail.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
      const expected = /expect (\d+)/.exec(detail.message ?? "")?.[1] ?? "?";
      const got = detail.record?.length ?? "?";
      return new DataLoadError({
        path: file.path,
        message: `${file.name} line ${detail.lines}: the row has ${got} fields but the header has ${expected}. Fix that line (every row needs one field per header column) and load the file again.`,
        cause: error,
      });
    }
    return new DataLoadError({
      path: file.path,
      message: `${file.name} is not valid ${file.format.toUpperCase()}: ${detail.message ?? String(parseError)}`,
      cause: error,
    });
  }
  const first = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  return new DataLoadError({
    path: file.path,
    message: `${file.name} could not be read as ${file.format.toUpperCase()}: ${first}`,
    cause: error,
  });
}
