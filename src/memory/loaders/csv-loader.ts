import { createRequire } from "node:module";
import type { DocumentBlock } from "../document.js";
import { LoaderError } from "./loader-error.js";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const csvParse = (): typeof import("csv-parse/sync") => require("csv-parse/sync");

export interface CsvStructure {
  blocks: DocumentBlock[];
  metadata: Record<string, unknown>;
}

interface ParsedRow {
  record: string[];
  raw: string;
  info: { lines: number };
}

/**
 * Reads a CSV file with a header row: each data row becomes a `record` block "column: value; ..."
 * with its line range. The delimiter (comma, semicolon, tab or pipe) is taken from the header.
 * Rows with a different number of fields are kept and reported in `metadata.warnings`.
 *
 * @example
 * parseCsv("name,age\nAda,36\n", "people.csv").blocks[0].text; // "name: Ada; age: 36"
 */
export function parseCsv(text: string, path: string): CsvStructure {
  const delimiter = guessDelimiter(text);
  let rows: ParsedRow[];
  try {
    rows = csvParse().parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as ParsedRow[];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new LoaderError({
      path,
      reason: `it is not valid CSV (${detail})`,
      fix: "Fix the quoting at that line (a field containing the delimiter, a quote or a line break must be quoted, with inner quotes doubled).",
      cause: error,
    });
  }
  const header = rows[0];
  if (!header) throw new LoaderError({ path, reason: "it has no rows", fix: "Add a header row and data rows." });
  const columns = uniqueNames(header.record);
  const blocks: DocumentBlock[] = [];
  const ragged: number[] = [];
  for (const row of rows.slice(1)) {
    const lineEnd = row.info.lines;
    const body = row.raw.replace(/^\n+/, "").replace(/\n$/, "");
    const lineStart = lineEnd - (body.match(/\n/g)?.length ?? 0);
    if (row.record.length !== columns.length) ragged.push(lineStart);
    const fields: string[] = [];
    row.record.forEach((value, i) => {
      const trimmed = value.trim();
      if (trimmed) fields.push(`${columns[i] ?? `column ${i + 1}`}: ${trimmed}`);
    });
    if (fields.length) blocks.push({ kind: "record", text: fields.join("; "), headingPath: [], lineStart, lineEnd });
  }
  const metadata: Record<string, unknown> = { columns, records: blocks.length, delimiter };
  if (ragged.length) {
    const shown = ragged.slice(0, 10).join(", ");
    metadata.warnings = [
      `${ragged.length} row(s) do not have ${columns.length} fields (line ${shown}${ragged.length > 10 ? ", ..." : ""}); missing fields were left out and extra ones named "column N". Check the delimiter and quoting there.`,
    ];
  }
  return { blocks, metadata };
}

function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
    ["|", 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === "\n") break;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) as number) + 1);
  }
  let best = ",";
  for (const [c, n] of counts) if (n > (counts.get(best) as number)) best = c;
  return best;
}

function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    const name = raw.trim() || `column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}
