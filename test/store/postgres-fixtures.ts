import type { PostgresQueryable } from "../../src/store/index.js";

/** Children before parents, so the foreign keys never object. */
const TABLES = ["traces", "session_messages", "sessions", "cache", "settings", "chunks", "documents"];

/**
 * Empties weft's tables in `schema` when it exists: much faster on PGlite than migrating a new
 * schema for every test, and the migrations still run (and find nothing to do) on every open.
 */
export async function emptySchema(client: PostgresQueryable, schema: string): Promise<void> {
  const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1", [schema]);
  if ((rows[0] as { n: number }).n === 0) return;
  for (const table of TABLES) await client.query(`DELETE FROM "${schema}".${table}`);
}
