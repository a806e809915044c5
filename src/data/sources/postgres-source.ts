/**
 * A read-only DataSource over a PostgreSQL database, through `pg`. Every query runs in its own
 * `BEGIN READ ONLY` transaction with `statement_timeout` set, through the extended protocol (which
 * refuses more than one statement), as a cursor fetched only as far as the row limit; it is then
 * rolled back. PostgreSQL lets a superuser read server files even in a read-only transaction, so
 * connect with a role that can only SELECT; the function checks in sql-gate.ts are a second line.
 */

import { ConnectionError, InvalidArgumentError, type SqlRejectedError } from "../../spec/errors.js";
import { redactUrl } from "../../store/postgres-client.js";
import type { DataSource, QueryColumn, QueryResult, SqlRunOptions, TableInfo } from "../types.js";
import { runLimits, withDeadline } from "./deadline.js";
import { importPg, type PgClient, type PgModule, type PgPool, type PgPoolClient } from "./load-driver.js";
import { KNOWN_TYPE_NAMES, postgresCell, TEXT_TYPES } from "./postgres-cells.js";
import { type ProfileDialect, type ProfileTarget, quoteIdent, schemaMethods } from "./profile.js";
import { engineRejection, errorMessage } from "./rejections.js";
import { gateSql } from "./sql-gate.js";

export interface OpenPostgresSourceOptions {
  /** `postgres://user:password@host:5432/database` */
  url: string;
  /** Shown to users; defaults to the URL without its password. */
  label?: string;
  /** Pool size (default 4). */
  maxConnections?: number;
}

const ORDERABLE =
  /^(smallint|integer|bigint|real|double precision|numeric|money|date|time|timestamp|interval|text|character varying|character|uuid|name|citext|inet|oid)( .*)?$/i;

const profileDialect: ProfileDialect = {
  dialect: "postgres",
  orderable: (type) => ORDERABLE.test(type),
  sampleable: (type) => !/^bytea/i.test(type),
  // json, arrays and geometric types have no equality operator; their text does.
  distinctCount: (column, type) =>
    ORDERABLE.test(type) ? `count(DISTINCT ${column})` : `count(DISTINCT ${column}::text)`,
  asText: (column) => `${column}::text`,
  columnsPerQuery: 300,
};

const SYSTEM_SCHEMAS = "table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'";

/**
 * Connects to PostgreSQL for reading only. Fails with ConnectionError when the server cannot be
 * reached or refuses the login.
 *
 * @example
 * const source = await openPostgresSource({ url: "postgres://reader@localhost/shop" });
 * const { rows } = await source.run("SELECT count(*) FROM orders");
 */
export async function openPostgresSource(options: OpenPostgresSourceOptions): Promise<DataSource> {
  const pg = await importPg();
  const label = options.label ?? redactUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: Math.max(2, options.maxConnections ?? 4),
    allowExitOnIdle: true,
    connectionTimeoutMillis: 15_000,
  });
  // A dropped idle connection is replaced by the pool; without a listener Node would crash.
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    try {
      await client.query("SELECT 1");
    } finally {
      client.release();
    }
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new ConnectionError({
      provider: "PostgreSQL",
      url: label,
      cause,
      hint: `The server said: ${errorMessage(cause).replaceAll(options.url, label)}. Check the URL, the user and password, and that the server is running.`,
    });
  }
  return createPostgresSource({ pg, pool, url: options.url, label });
}

function createPostgresSource(ctx: { pg: PgModule; pool: PgPool; url: string; label: string }): DataSource {
  const { pg, pool, label } = ctx;
  const typeNames = new Map(KNOWN_TYPE_NAMES);
  const parseArray = (oid: number) => pg.types.getTypeParser(oid, "text");
  let closed = false;

  /** Asks the server to cancel the backend's statement, from a separate connection. */
  const cancel = (pid: number | null | undefined) => {
    if (!pid) return;
    const client = new pg.Client({ connectionString: ctx.url, connectionTimeoutMillis: 5000 });
    client.on("error", () => undefined);
    void client
      .connect()
      .then(() => client.query("SELECT pg_cancel_backend($1)", [pid]))
      .catch(() => undefined)
      .finally(() => client.end().catch(() => undefined));
  };

  /** Runs `fn` in a read-only transaction with a statement timeout, then rolls back. */
  const readOnly = async <T>(
    sql: string,
    fn: (client: PgPoolClient) => Promise<T>,
    limits: { timeoutMs: number; abortSignal?: AbortSignal },
  ): Promise<T> => {
    if (closed) throw new InvalidArgumentError({ argument: "source", message: `${label} is closed; open it again.` });
    const timeoutMs = Math.ceil(limits.timeoutMs);
    let client: PgPoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      throw new ConnectionError({ provider: "PostgreSQL", url: label, cause });
    }
    let broken = false;
    try {
      // One round trip (simple protocol, our own text): read-only, time-limited, timestamps in UTC.
      await client.query(
        `BEGIN READ ONLY; SET LOCAL statement_timeout = ${timeoutMs}; SET LOCAL idle_in_transaction_session_timeout = ${timeoutMs + 5000}; SET LOCAL TimeZone = 'UTC'`,
      );
      return await withDeadline(() => fn(client), {
        sql,
        timeoutMs,
        abortSignal: limits.abortSignal,
        interrupt: () => cancel(client.processID),
        // A server that ignores statement_timeout and the cancel request is left behind.
        graceMs: 3000,
      });
    } catch (error) {
      // After a timeout or an abort the statement may still be running: that connection is not reused.
      const code = (error as { code?: unknown })?.code;
      if (!code || code === "aborted" || (error as SqlRejectedError).reason === "timeout") broken = true;
      throw error;
    } finally {
      if (!broken) {
        try {
          await client.query("ROLLBACK");
        } catch {
          broken = true;
        }
      }
      client.release(broken);
    }
  };

  const columnTypes = async (client: PgClient, oids: number[]): Promise<void> => {
    const unknown = [...new Set(oids)].filter((oid) => !typeNames.has(oid));
    if (unknown.length === 0) return;
    const { rows } = await client.query({
      text: "SELECT oid::int, format_type(oid, NULL) FROM pg_type WHERE oid = ANY($1::oid[])",
      values: [unknown],
      rowMode: "array",
    });
    for (const [oid, name] of rows as Array<[number, string]>) typeNames.set(oid, name);
  };

  const toResult = async (
    client: PgClient,
    sql: string,
    result: { rows: unknown[]; fields: Array<{ name: string; dataTypeID: number }> },
    maxRows: number,
    started: number,
  ): Promise<QueryResult> => {
    await columnTypes(
      client,
      result.fields.map((f) => f.dataTypeID),
    );
    const columns: QueryColumn[] = result.fields.map((f) => ({
      name: f.name,
      type: typeNames.get(f.dataTypeID) ?? String(f.dataTypeID),
    }));
    const rows = (result.rows as Array<Array<string | null>>)
      .slice(0, maxRows)
      .map((row) => row.map((text, i) => postgresCell(result.fields[i]?.dataTypeID ?? 25, text, parseArray)));
    return { sql, columns, rows, truncated: result.rows.length > maxRows, durationMs: performance.now() - started };
  };

  const run = async (sql: string, options: SqlRunOptions = {}): Promise<QueryResult> => {
    const started = performance.now();
    const { maxRows, timeoutMs } = runLimits(options);
    const statement = gateSql(sql, "postgres");
    return readOnly(
      sql,
      async (client) => {
        try {
          await declareCursor(client, statement);
          const result = await client.query({
            text: `FETCH FORWARD ${maxRows + 1} FROM weft_rows`,
            rowMode: "array",
            types: TEXT_TYPES,
          });
          return await toResult(client, sql, result, maxRows, started);
        } catch (error) {
          throw toRejection(sql, error);
        }
      },
      { timeoutMs, abortSignal: options.abortSignal },
    );
  };

  /** Our own trusted queries, with default parsing (arrays of names arrive as arrays). */
  const catalog = (sql: string): Promise<unknown[][]> =>
    readOnly(sql, async (client) => (await client.query({ text: sql, rowMode: "array" })).rows as unknown[][], {
      timeoutMs: 60_000,
    });

  const loadTargets = async (): Promise<ProfileTarget[]> => {
    const [[defaultSchema] = []] = await catalog("SELECT current_schema()");
    const relations = await catalog(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE ${SYSTEM_SCHEMAS} ORDER BY 1, 2`,
    );
    const columns = await catalog(
      `SELECT table_schema, table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns
       WHERE ${SYSTEM_SCHEMAS} ORDER BY table_schema, table_name, ordinal_position`,
    );
    const keys = await catalog(
      `SELECT n.nspname, c.relname, con.contype,
         (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
         fn.nspname, fc.relname,
         (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
       WHERE con.contype IN ('p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       ORDER BY con.conname`,
    );
    const nameOf = (schema: unknown, table: unknown) =>
      schema === defaultSchema ? String(table) : `${String(schema)}.${String(table)}`;
    const byName = new Map<string, ProfileTarget>();
    for (const [schema, table] of relations) {
      const info: TableInfo = { name: nameOf(schema, table), columns: [] };
      byName.set(info.name, { info, ref: `${quoteIdent(String(schema))}.${quoteIdent(String(table))}` });
    }
    for (const [schema, table, column, dataType, udt, nullable] of columns) {
      const type =
        dataType === "ARRAY"
          ? `${String(udt).replace(/^_/, "")}[]`
          : dataType === "USER-DEFINED"
            ? String(udt)
            : String(dataType);
      byName
        .get(nameOf(schema, table))
        ?.info.columns.push({ name: String(column), type, nullable: nullable === "YES" });
    }
    for (const [schema, table, kind, cols, refSchema, refTable, refCols] of keys) {
      const info = byName.get(nameOf(schema, table))?.info;
      if (!info) continue;
      if (kind === "p") {
        info.primaryKey = (cols as string[]) ?? [];
        continue;
      }
      info.foreignKeys ??= [];
      info.foreignKeys.push({
        columns: (cols as string[]) ?? [],
        references: { table: nameOf(refSchema, refTable), columns: (refCols as string[]) ?? [] },
      });
    }
    return [...byName.values()];
  };

  return {
    dialect: "postgres",
    label,
    ...schemaMethods({
      dialect: "postgres",
      profileDialect,
      loadTargets,
      run: (sql, maxRows) =>
        readOnly(
          sql,
          async (client) => {
            const started = performance.now();
            const result = await client.query({ text: sql, rowMode: "array", types: TEXT_TYPES });
            return toResult(client, sql, result, maxRows, started);
          },
          { timeoutMs: 120_000 },
        ),
    }),
    async check(sql) {
      const statement = gateSql(sql, "postgres");
      await readOnly(
        sql,
        async (client) => {
          try {
            // Declaring plans the query (names resolved, types and read-only rules checked); only FETCH runs it.
            await declareCursor(client, statement);
          } catch (error) {
            throw toRejection(sql, error);
          }
        },
        { timeoutMs: 30_000 },
      );
    },
    run,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * Declares the cursor `weft_rows` for one statement. DECLARE accepts only a query (no INSERT or
 * data-modifying WITH), and the extended protocol refuses a second statement.
 */
async function declareCursor(client: PgClient, statement: string): Promise<void> {
  await client.query({
    text: `DECLARE weft_rows NO SCROLL CURSOR FOR ${statement}`,
    values: [],
    queryMode: "extended",
  });
}

/** Maps PostgreSQL's SQLSTATE codes to rejection reasons; the server's hint is kept for repairs. */
function toRejection(sql: string, error: unknown): unknown {
  const e = error as { code?: unknown; message?: string; hint?: string };
  if (typeof e?.code !== "string" || e.code === "sql-rejected") return error;
  const message = e.message ?? String(error);
  let reason: SqlRejectedError["reason"] = "engine";
  if (/cannot insert multiple commands/i.test(message)) reason = "multiple-statements";
  else if (e.code === "42601") reason = "syntax";
  else if (["42P01", "42703", "42883", "3F000", "42704", "42702", "42P02"].includes(e.code)) reason = "unknown-object";
  else if (e.code === "25006") reason = "not-read-only";
  else if (e.code === "57014") reason = "timeout";
  else if (e.code === "42501") reason = "forbidden";
  const detail = e.hint ? `${message}. ${e.hint}` : message;
  return engineRejection({ sql, engine: "PostgreSQL", reason, detail, cause: error });
}
