/** CSV, TSV, JSON, NDJSON and Parquet: one table per file, read by DuckDB's built-in readers. */
import { parse as parsePath } from "node:path";
import { DataLoadError } from "../../spec/errors.js";
import { csvSource, diagnoseCsvError, isEncodingError } from "./csv-source.js";
import { claimName, quoteIdentifier, safeIdentifier, sqlString } from "./identifiers.js";
import type { InputFile } from "./input-file.js";
import { diagnoseJsonError, jsonSource } from "./json-source.js";
import { claimTableName, describeTable, type LoadContext, queryRows, writeComments } from "./load-context.js";
import type { LoadedTable } from "./loaded-table.js";

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

async function createFromSource(context: LoadContext, table: string, source: string): Promise<void> {
  await context.connection.run(`CREATE TABLE ${quoteIdentifier(table)} AS SELECT * FROM ${source}`);
}

async function createTable(context: LoadContext, file: InputFile, table: string): Promise<void> {
  if (file.format === "parquet") {
    try {
      await createFromSource(context, table, `read_parquet(${sqlString(file.path)})`);
    } catch (error) {
      throw new DataLoadError({
        path: file.path,
        message: `${file.name} is not a valid Parquet file (${firstLine(error)}). Check that it was written completely.`,
        cause: error,
      });
    }
    return;
  }
  if (file.format === "json" || file.format === "jsonl") {
    try {
      await createFromSource(context, table, jsonSource(file));
    } catch (error) {
      throw await diagnoseJsonError(file, error);
    }
    return;
  }
  try {
    await createFromSource(context, table, await csvSource(file));
  } catch (error) {
    if (!isEncodingError(error)) throw await diagnoseCsvError(file, error);
    try {
      await createFromSource(context, table, await csvSource(file, "latin-1"));
      context.warnings.push(`${file.name} is not UTF-8; it was read as Latin-1 (ISO-8859-1).`);
    } catch (retryError) {
      throw await diagnoseCsvError(file, retryError);
    }
  }
}

/**
 * Renames the reader's column names (kept from the file's header or keys) to safe identifiers, in two
 * steps so that `Name` → `name` cannot collide with a column that is renamed later.
 */
async function renameColumns(context: LoadContext, table: string): Promise<Map<string, string>> {
  const rows = await queryRows(
    context.connection,
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${sqlString(table)} ORDER BY ordinal_position`,
  );
  const originals = rows.map((row) => String(row[0]));
  const taken = new Set<string>();
  const finals = originals.map((original) =>
    claimName(safeIdentifier(original, { fallback: "column", prefix: "c_", reserved: context.reserved }), taken),
  );
  const comments = new Map<string, string>();
  const changed = originals.map((original, i) => ({ original, final: finals[i] ?? original, i }));
  const toRename = changed.filter(({ original, final }) => original !== final);
  const t = quoteIdentifier(table);
  for (const { original, i } of toRename) {
    await context.connection.run(
      `ALTER TABLE ${t} RENAME COLUMN ${quoteIdentifier(original)} TO ${quoteIdentifier(`__weft_${i}`)}`,
    );
  }
  for (const { original, final, i } of toRename) {
    await context.connection.run(
      `ALTER TABLE ${t} RENAME COLUMN ${quoteIdentifier(`__weft_${i}`)} TO ${quoteIdentifier(final)}`,
    );
    comments.set(final, original);
  }
  return comments;
}

/** Loads one CSV/TSV/JSON/NDJSON/Parquet file as a table named after the file. */
export async function loadWithReader(context: LoadContext, file: InputFile): Promise<LoadedTable> {
  const wanted = safeIdentifier(parsePath(file.name).name, {
    fallback: "data",
    prefix: "t_",
    reserved: context.reserved,
  });
  const table = claimTableName(context, wanted, file.name);
  await createTable(context, file, table);
  const comments = await renameColumns(context, table);
  await writeComments(context, table, file.name, comments);
  const loaded = await describeTable(context, table, file.name);
  if (loaded.rowCount === 0 && (file.format === "json" || file.format === "jsonl")) {
    // Without a record there are no keys, so not even the columns are known.
    throw new DataLoadError({
      path: file.path,
      message: `${file.name} holds no JSON records (an empty array or only blank lines). Check that it was saved completely.`,
    });
  }
  if (loaded.rowCount === 0) context.warnings.push(`${file.name} has no data rows; table '${table}' is empty.`);
  return loaded;
}
