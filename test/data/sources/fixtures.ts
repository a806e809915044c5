/**
 * The small dataset every engine gets: `wells` (4 rows, with NULLs, a BIGINT beyond 2^53 and a long
 * name), `production` (50 rows referencing wells) and a view. The expected statistics in the tests
 * are computed from these arrays, not written down by hand.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { SqlDialect } from "../../../src/data/types.js";

export const LONG_NAME = "Delta with a name far longer than forty characters, on purpose";

export const WELLS: Array<{
  id: number;
  name: string | null;
  field: string;
  depth: number | null;
  spud: string | null;
  big: string;
}> = [
  { id: 1, name: "Alpha", field: "North", depth: 2500.5, spud: "2001-03-04", big: "9007199254740993" },
  { id: 2, name: "Bravo", field: "North", depth: 3100.25, spud: "2004-05-06", big: "42" },
  { id: 3, name: null, field: "South", depth: null, spud: "2010-07-08", big: "-7" },
  { id: 4, name: LONG_NAME, field: "North", depth: 1800, spud: null, big: "0" },
];

function day(n: number): string {
  return new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
}

export const PRODUCTION = Array.from({ length: 50 }, (_, i) => {
  const n = i + 1;
  return { well_id: (n % 3) + 1, day: day(n), oil: n * 1.5, ts: `${day(n)} ${String(n % 24).padStart(2, "0")}:30:00` };
});

const TYPES: Record<SqlDialect, Record<"int" | "text" | "double" | "date" | "bigint" | "timestamp", string>> = {
  duckdb: { int: "INTEGER", text: "VARCHAR", double: "DOUBLE", date: "DATE", bigint: "BIGINT", timestamp: "TIMESTAMP" },
  sqlite: { int: "INTEGER", text: "TEXT", double: "REAL", date: "DATE", bigint: "BIGINT", timestamp: "TIMESTAMP" },
  postgres: {
    int: "INTEGER",
    text: "TEXT",
    double: "DOUBLE PRECISION",
    date: "DATE",
    bigint: "BIGINT",
    timestamp: "TIMESTAMP",
  },
};

const literal = (value: string | number | null) =>
  value === null ? "NULL" : typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`;

/** CREATE and INSERT statements for one engine, one statement per entry. */
export function datasetStatements(dialect: SqlDialect): string[] {
  const t = TYPES[dialect];
  return [
    `CREATE TABLE wells (id ${t.int} PRIMARY KEY, name ${t.text}, field ${t.text} NOT NULL, depth ${t.double}, spud ${t.date}, big ${t.bigint})`,
    `CREATE TABLE production (well_id ${t.int} REFERENCES wells (id), day ${t.date}, oil ${t.double}, ts ${t.timestamp})`,
    `INSERT INTO wells VALUES ${WELLS.map((w) => `(${[w.id, w.name, w.field, w.depth, w.spud].map(literal).join(", ")}, ${w.big})`).join(", ")}`,
    `INSERT INTO production VALUES ${PRODUCTION.map((p) => `(${[p.well_id, p.day, p.oil, p.ts].map(literal).join(", ")})`).join(", ")}`,
    "CREATE VIEW north_wells AS SELECT id, name FROM wells WHERE field = 'North'",
  ];
}

/** sha256 of a file's bytes. */
export function fileHash(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Every file under `dir` with its hash, to prove nothing was written. */
export function directorySnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = `${entry.parentPath}/${entry.name}`;
    out[path.slice(dir.length)] = fileHash(path);
  }
  return out;
}
