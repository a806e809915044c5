import type { Cell } from "./types.js";

/** Rows of one query result, row-major. */
export type ResultRows = readonly (readonly Cell[])[];

export interface ExecutionMatchOptions {
  /** Compare row order too (default: only when the gold SQL has ORDER BY, see `hasOrderBy`). */
  ordered?: boolean;
  /** Numbers are equal when |a - b| <= tolerance * max(1, |a|, |b|) (default 1e-6). */
  tolerance?: number;
  /** Accept the predicted columns in another order (default true; a result set has no column order). */
  anyColumnOrder?: boolean;
}

export type ExecutionMatch = { match: true } | { match: false; reason: string };

const NUMERIC_STRING = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number for numeric cells (booleans and big-number strings included), else undefined. */
function numeric(cell: Cell): number | undefined {
  if (typeof cell === "number") return cell;
  if (typeof cell === "boolean") return cell ? 1 : 0;
  if (typeof cell === "string" && NUMERIC_STRING.test(cell.trim())) return Number(cell);
  return undefined;
}

function cellsEqual(a: Cell, b: Cell, tolerance: number): boolean {
  if (a === null || b === null) return a === b;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    if (x === y) return true;
    return Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x), Math.abs(y));
  }
  if (x !== undefined || y !== undefined) return false;
  return a === b;
}

/** A sort key that puts cells equal within tolerance next to each other. */
function cellKey(cell: Cell): string {
  if (cell === null) return "0";
  const n = numeric(cell);
  // Ten significant digits: float noise in the last places does not change the key.
  if (n !== undefined) return `1${Number.isFinite(n) ? Number(n.toPrecision(10)) : String(n)}`;
  return `2${String(cell)}`;
}

function rowsEqual(a: readonly Cell[], b: readonly Cell[], tolerance: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!cellsEqual(a[i] as Cell, b[i] as Cell, tolerance)) return false;
  return true;
}

function sortRows(rows: ResultRows): Cell[][] {
  return rows
    .map((r) => ({ row: [...r], key: JSON.stringify(r.map(cellKey)) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.row);
}

function sameRows(gold: ResultRows, predicted: ResultRows, ordered: boolean, tolerance: number): boolean {
  if (gold.length !== predicted.length) return false;
  const g = ordered ? gold : sortRows(gold);
  const p = ordered ? predicted : sortRows(predicted);
  for (let i = 0; i < g.length; i++) if (!rowsEqual(g[i] as Cell[], p[i] as Cell[], tolerance)) return false;
  return true;
}

/** The multiset of one column's values as a sorted key list, to pair columns across results. */
function columnSignature(rows: ResultRows, column: number): string {
  return JSON.stringify(rows.map((r) => cellKey(r[column] as Cell)).sort());
}

/** Column orders of `predicted` whose columns have the same value multisets as gold's, best first. */
function* columnOrders(gold: ResultRows, predicted: ResultRows, width: number): Generator<number[]> {
  const goldSig = Array.from({ length: width }, (_, i) => columnSignature(gold, i));
  const predSig = Array.from({ length: width }, (_, i) => columnSignature(predicted, i));
  const candidates = goldSig.map((sig) => predSig.flatMap((p, j) => (p === sig ? [j] : [])));
  const used = new Array<boolean>(width).fill(false);
  const order: number[] = [];
  let tried = 0;
  function* walk(i: number): Generator<number[]> {
    if (tried > 5000) return; // Many identical columns: enough orders tried.
    if (i === width) {
      tried++;
      yield [...order];
      return;
    }
    for (const j of candidates[i] ?? []) {
      if (used[j]) continue;
      used[j] = true;
      order.push(j);
      yield* walk(i + 1);
      order.pop();
      used[j] = false;
    }
  }
  yield* walk(0);
}

/**
 * Execution accuracy's comparison: whether a predicted query's result equals the gold query's, as
 * multisets of rows (as lists when `ordered`), numbers within a relative tolerance, and the
 * predicted columns in any order. Column names do not matter, only values.
 *
 * @example
 * executionMatch([[1, "a"], [2, "b"]], [["b", 2], ["a", 1]]); // { match: true }
 * executionMatch([[1]], [[1], [1]]); // { match: false, reason: "1 row(s) expected, got 2" }
 */
export function executionMatch(
  gold: ResultRows,
  predicted: ResultRows,
  options: ExecutionMatchOptions = {},
): ExecutionMatch {
  const tolerance = options.tolerance ?? 1e-6;
  const ordered = options.ordered ?? false;
  if (gold.length !== predicted.length) {
    return { match: false, reason: `${gold.length} row(s) expected, got ${predicted.length}` };
  }
  const goldWidth = gold[0]?.length ?? 0;
  const predWidth = predicted[0]?.length ?? 0;
  if (gold.length === 0) return { match: true };
  if (goldWidth !== predWidth) return { match: false, reason: `${goldWidth} column(s) expected, got ${predWidth}` };
  if (sameRows(gold, predicted, ordered, tolerance)) return { match: true };
  if (options.anyColumnOrder !== false && goldWidth > 1) {
    for (const order of columnOrders(gold, predicted, goldWidth)) {
      const permuted = predicted.map((r) => order.map((j) => r[j] as Cell));
      if (sameRows(gold, permuted, ordered, tolerance)) return { match: true };
    }
  }
  return { match: false, reason: ordered ? "different rows or row order" : "different rows" };
}

/** Removes string literals, quoted identifiers and comments, so keywords can be searched safely. */
function withoutQuoted(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|--[^\n]*|\/\*[\s\S]*?\*\//g, " ");
}

/**
 * Whether a query sorts its result (an ORDER BY outside strings and comments): then row order is
 * part of the answer.
 *
 * @example
 * hasOrderBy("SELECT name FROM singer ORDER BY age DESC"); // true
 */
export function hasOrderBy(sql: string): boolean {
  return /\border\s+by\b/i.test(withoutQuoted(sql));
}

/**
 * Rewrites double-quoted string literals as single-quoted ones, for gold SQL written for SQLite
 * builds that accept `"France"` as a string. SQLite as built by better-sqlite3 (and standard SQL)
 * reads double quotes as identifiers only; a quoted word that names a known table or column stays.
 *
 * @example
 * doubleQuotedStringsToSingle(`SELECT name FROM singer WHERE country != "France"`, new Set(["name", "country", "singer"]));
 * // "SELECT name FROM singer WHERE country != 'France'"
 */
export function doubleQuotedStringsToSingle(sql: string, identifiers: ReadonlySet<string>): string {
  const known = new Set([...identifiers].map((n) => n.toLowerCase()));
  return sql.replace(/'(?:[^']|'')*'|"((?:[^"]|"")*)"/g, (token, inner: string | undefined) => {
    if (inner === undefined) return token;
    const value = inner.replaceAll('""', '"');
    if (known.has(value.toLowerCase())) return token;
    return `'${value.replaceAll("'", "''")}'`;
  });
}
