/**
 * JSON and newline-delimited JSON through DuckDB's built-in `read_json`. When DuckDB rejects a file
 * the position comes from Node's own parser: DuckDB reports the line of an NDJSON error one too high
 * and only a record number for arrays.
 */
import { readFile } from "node:fs/promises";
import { DataLoadError } from "../../spec/errors.js";
import { sqlString } from "./identifiers.js";
import type { InputFile } from "./input-file.js";

/** The `read_json(...)` expression: one row per array element or per line, types detected over the whole file. */
export function jsonSource(file: InputFile): string {
  const format = file.format === "jsonl" ? "newline_delimited" : "auto";
  return `read_json(${sqlString(file.path)}, format = ${sqlString(format)}, sample_size = -1)`;
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function parseProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Finds where the JSON is broken and returns a DataLoadError saying so (line, column, parser message). */
export async function diagnoseJsonError(file: InputFile, error: unknown): Promise<DataLoadError> {
  const text = (await readFile(file.path, "utf8")).replace(/^\uFEFF/, "");
  const make = (where: string, problem: string) =>
    new DataLoadError({
      path: file.path,
      message: `${file.name} is not valid JSON: ${where}${problem}. Fix the file and load it again.`,
      cause: error,
    });
  if (file.format === "jsonl") {
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]?.trim() ?? "";
      if (line === "") continue;
      const problem = parseProblem(line);
      if (problem) return make(`line ${i + 1}: `, problem);
    }
  } else {
    const problem = parseProblem(text);
    if (problem) {
      const position = /at position (\d+)/.exec(problem)?.[1];
      if (position === undefined) return make("", problem);
      const { line, column } = lineAndColumn(text, Number(position));
      return make(`line ${line}, column ${column}: `, problem.replace(/ in JSON at position \d+.*$/, ""));
    }
  }
  const first = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  return new DataLoadError({
    path: file.path,
    message: `${file.name} could not be loaded as JSON records: ${first}`,
    cause: error,
  });
}
