import path from "node:path";
import { InvalidArgumentError } from "../spec/errors.js";
import type { Store } from "../spec/store.js";
import { openPostgresStore } from "./postgres-store.js";
import { DEFAULT_STORE_PATH, openSqliteStore } from "./sqlite-store.js";

export interface OpenStoreOptions {
  /** SQLite file; default `.weft/weft.db` under `cwd`. Ignored when `url` names PostgreSQL. */
  path?: string;
  /** `postgres://` or `postgresql://` URL: use PostgreSQL instead of the embedded file. */
  url?: string;
  /** Folder a relative `path` is resolved against; default `process.cwd()`. */
  cwd?: string;
  /** PostgreSQL schema for weft's tables; default `public`. */
  schema?: string;
}

/**
 * Opens the store the options name: PostgreSQL for a `postgres://` / `postgresql://` URL,
 * otherwise the SQLite file at `path` (default `.weft/weft.db`), created when missing.
 *
 * @example
 * const local = await openStore({});
 * const shared = await openStore({ url: process.env.WEFT_STORE_URL });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.url) {
    if (!/^postgres(ql)?:\/\//i.test(options.url)) {
      throw new InvalidArgumentError({
        argument: "url",
        message:
          "The store URL must start with postgres:// or postgresql:// (weft stores data in PostgreSQL or in a local SQLite file). Remove the URL (--store-url, store.url, WEFT_STORE_URL) to use the local file.",
      });
    }
    return openPostgresStore({ url: options.url, schema: options.schema });
  }
  const file = options.path ?? DEFAULT_STORE_PATH;
  return openSqliteStore({
    path: file === ":memory:" ? file : path.resolve(options.cwd ?? process.cwd(), file),
  });
}
