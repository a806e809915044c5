/**
 * PostgreSQL values → JSON-safe cells. Queries are read with every type parser replaced by the
 * identity, so values arrive as PostgreSQL's text and are converted here by type OID, without
 * `pg`'s Date objects (which read timestamps in the machine's time zone).
 */

import type { Cell } from "../types.js";
import { blobCell, floatCell, isoTimestamp, numericCell } from "./cells.js";

/** Keeps PostgreSQL's text form of every value. */
export const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/** Names of common type OIDs, as `format_type` writes them; others are looked up. */
export const KNOWN_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [16, "boolean"],
  [17, "bytea"],
  [19, "name"],
  [20, "bigint"],
  [21, "smallint"],
  [23, "integer"],
  [25, "text"],
  [26, "oid"],
  [114, "json"],
  [700, "real"],
  [701, "double precision"],
  [1042, "character"],
  [1043, "character varying"],
  [1082, "date"],
  [1083, "time without time zone"],
  [1114, "timestamp without time zone"],
  [1184, "timestamp with time zone"],
  [1186, "interval"],
  [1700, "numeric"],
  [2950, "uuid"],
  [3802, "jsonb"],
]);

/**
 * Converts one value in text form. `parseArray` is `pg`'s default parser for the OID, used for
 * arrays, which become JSON strings.
 *
 * @example
 * postgresCell(20, "9007199254740993", parse); // "9007199254740993"
 * postgresCell(1184, "2020-01-02 01:04:05+00", parse); // "2020-01-02T01:04:05Z"
 */
export function postgresCell(
  oid: number,
  text: string | null,
  parseArray: (oid: number) => (text: string) => unknown,
): Cell {
  if (text === null) return null;
  switch (oid) {
    case 16:
      return text === "t";
    case 20:
    case 21:
    case 23:
    case 26:
    case 1700:
      return numericCell(text);
    case 700:
    case 701:
      return floatCell(Number(text));
    case 1114:
    case 1184:
      return isoTimestamp(text);
    case 17:
      return blobCell(text.startsWith("\\x") ? (text.length - 2) / 2 : Buffer.byteLength(text));
  }
  if (text.startsWith("{") && text.endsWith("}")) {
    const parsed = parseArray(oid)(text);
    if (Array.isArray(parsed)) return JSON.stringify(parsed);
  }
  return text;
}
