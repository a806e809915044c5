import type { SqlAttempt } from "../data/ask.js";
import type { Cell, QueryResult, SchemaProfile } from "../data/types.js";
import { tableText } from "./data-table.js";

const dim = (text: string, on: boolean) => (on ? `\x1b[2m${text}\x1b[0m` : text);

/** The SQL, indented, as it ran. */
export function sqlBlock(sql: string): string {
  return sql
    .trim()
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** A result as an aligned table with a line saying how many rows there are (and whether more exist). */
export function resultBlock(result: Pick<QueryResult, "columns" | "rows" | "truncated">): string {
  const n = result.rows.length;
  const count = result.truncated
    ? `${n} row${n === 1 ? "" : "s"} shown; more exist (raise --max-rows to see them)`
    : `${n} row${n === 1 ? "" : "s"}`;
  if (result.columns.length === 0) return `(${count})`;
  return `${tableText(
    result.columns.map((c) => c.name),
    result.rows as Cell[][],
  )}\n(${count})`;
}

/** Which attempts were rejected before the one that ran, for stderr. */
export function attemptsNote(attempts: SqlAttempt[], color: boolean): string {
  const failed = attempts.filter((a) => a.error);
  if (failed.length === 0) return "";
  const lines = failed.map((a, i) => `  ${i + 1}. ${a.sql.replace(/\s+/g, " ")}\n     → ${a.error}`);
  return dim(`${failed.length} query attempt(s) were rejected and repaired:\n${lines.join("\n")}\n`, color);
}

function statText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  return typeof value === "number" ? String(Number(value.toPrecision(8))) : value;
}

/** The profile as one table per source table: column, type, null share, distinct count, min, max, samples. */
export function profileText(profile: SchemaProfile): string {
  const blocks = profile.tables.map((t) => {
    const head = `${t.name}  (${t.rowCount} row${t.rowCount === 1 ? "" : "s"}${t.origin ? `, from ${t.origin}` : ""})`;
    const keys = new Set(t.primaryKey ?? []);
    const rows: Cell[][] = t.columns.map((c) => [
      keys.has(c.name) ? `${c.name} (key)` : c.name,
      c.type,
      `${Math.round(c.nullShare * 1000) / 10}%`,
      c.distinctCount,
      statText(c.min),
      statText(c.max),
      c.samples.slice(0, 3).join(", "),
    ]);
    const fks = (t.foreignKeys ?? []).map(
      (fk) => `  ${fk.columns.join(", ")} → ${fk.references.table}(${fk.references.columns.join(", ")})`,
    );
    const table = tableText(["column", "type", "nulls", "distinct", "min", "max", "samples"], rows);
    const indented = table
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n");
    return [head, indented, ...(fks.length ? ["  foreign keys:", ...fks.map((f) => `  ${f}`)] : [])].join("\n");
  });
  return `${profile.dialect} · ${profile.tables.length} table${profile.tables.length === 1 ? "" : "s"}\n\n${blocks.join("\n\n")}\n`;
}
