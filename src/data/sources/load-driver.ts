/** Loads the optional database drivers on first use, with a one-sentence error when one is missing. */

import { MissingDependencyError } from "../../spec/errors.js";

export type DuckDbModule = typeof import("@duckdb/node-api");

/** Loaders and bundlers may wrap Node's error, so the causes are searched too. */
function isModuleNotFound(error: unknown, name: string): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as Error).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(message).includes(name)) {
      return true;
    }
  }
  return false;
}

/** `@duckdb/node-api`, or MissingDependencyError. */
export async function importDuckDb(feature = "Querying data files"): Promise<DuckDbModule> {
  try {
    return await import("@duckdb/node-api");
  } catch (cause) {
    if (isModuleNotFound(cause, "@duckdb/node-api")) {
      throw new MissingDependencyError({ packageName: "@duckdb/node-api", feature, cause });
    }
    throw cause;
  }
}

/** The parts of `pg` used here, declared so that `pg`'s types are not needed by users. */
export interface PgModule {
  Pool: new (config: PgPoolConfig) => PgPool;
  Client: new (config: { connectionString: string; connectionTimeoutMillis?: number }) => PgClient;
  types: { getTypeParser(oid: number, format?: "text"): (value: string) => unknown };
}

export interface PgPoolConfig {
  connectionString: string;
  max?: number;
  allowExitOnIdle?: boolean;
  connectionTimeoutMillis?: number;
  idleTimeoutMillis?: number;
}

export interface PgQueryConfig {
  text: string;
  values?: unknown[];
  queryMode?: "extended";
  types?: { getTypeParser(oid: number, format?: string): (value: string) => unknown };
  rowMode?: "array";
}

export interface PgResult {
  rows: unknown[];
  fields: Array<{ name: string; dataTypeID: number }>;
}

export interface PgClient {
  query(config: PgQueryConfig): Promise<PgResult>;
  query(text: string, values?: unknown[]): Promise<PgResult>;
  connect(): Promise<void>;
  end(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
  readonly processID?: number | null;
}

export interface PgPoolClient extends PgClient {
  release(error?: Error | boolean): void;
}

export interface PgPool {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** `pg`, or MissingDependencyError. */
export async function importPg(feature = "Querying a PostgreSQL database"): Promise<PgModule> {
  try {
    const mod = (await import("pg")) as unknown as PgModule & { default?: PgModule };
    return mod.default ?? mod;
  } catch (cause) {
    if (isModuleNotFound(cause, "pg")) throw new MissingDependencyError({ packageName: "pg", feature, cause });
    throw cause;
  }
}
