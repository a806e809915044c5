import type { Cell, QueryResult } from "../../../src/data/types.js";

/** A query result from `[name, type]` pairs and rows, as a data source would return it. */
export function result(columns: Array<[string, string]>, rows: Cell[][]): QueryResult {
  return {
    sql: "SELECT ...",
    columns: columns.map(([name, type]) => ({ name, type })),
    rows,
    truncated: false,
    durationMs: 1,
  };
}

/** Days from 2024-01-01, as ISO dates. */
export function days(n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
}

/** A deterministic pseudo-random sequence in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
export function pngSize(png: Buffer): { signature: boolean; width: number; height: number; chunk: string } {
  const signature = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return {
    signature,
    chunk: png.subarray(12, 16).toString("ascii"),
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
  };
}
