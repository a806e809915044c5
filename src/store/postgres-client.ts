/**
 * The small part of a PostgreSQL driver the store needs, declared here so that neither `pg` nor
 * PGlite is imported for its types: `pg.Pool`, `pg.Client` and PGlite all fit.
 */

/** Anything that runs one parameterised statement (`$1`, `$2`, ...) and returns its rows. */
export interface PostgresQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * A queryable with an optional transaction capability. PGlite has `transaction(fn)`; a `pg.Pool`
 * is recognised and given one (see `pgPoolClient`). Any other client without `transaction` is
 * treated as one connection: BEGIN/COMMIT run on it while the store queues its other statements.
 */
export interface PostgresClient extends PostgresQueryable {
  transaction?<T>(fn: (tx: PostgresQueryable) => Promise<T>): Promise<T>;
}

/** A client whose transactions are guaranteed. */
export type TransactionalClient = PostgresClient & Required<Pick<PostgresClient, "transaction">>;

/** The part of `pg.Pool` used to run transactions on one checked-out connection. */
export interface PgPoolLike extends PostgresQueryable {
  connect(): Promise<PostgresQueryable & { release(error?: Error | boolean): void }>;
}

/**
 * Gives a `pg.Pool` a `transaction` that checks out one connection for BEGIN ... COMMIT.
 *
 * @example
 * const store = await createPostgresStore({ client: pgPoolClient(new pg.Pool({ connectionString })) });
 */
export function pgPoolClient(pool: PgPoolLike): TransactionalClient {
  return {
    query: (text, params) => pool.query(text, params),
    async transaction(fn) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query("BEGIN");
        const result = await fn(connection);
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await connection.query("ROLLBACK");
        } catch (rollbackError) {
          // A connection that cannot roll back must not go back into the pool.
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        connection.release(broken ?? false);
      }
    },
  };
}

/**
 * Makes a single-connection client safe for the store's concurrent use: statements run one at a
 * time, and a transaction holds the connection until COMMIT or ROLLBACK.
 */
export function serialClient(client: PostgresQueryable): TransactionalClient {
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    query: (text, params) => exclusive(() => client.query(text, params)),
    transaction: (fn) =>
      exclusive(async () => {
        await client.query("BEGIN");
        try {
          const result = await fn(client);
          await client.query("COMMIT");
          return result;
        } catch (error) {
          try {
            await client.query("ROLLBACK");
          } catch {
            // The statement's own error says what went wrong; a failed ROLLBACK adds nothing.
          }
          throw error;
        }
      }),
  };
}

/**
 * The URL without its password (user info or `password` parameter), for messages and `location`.
 *
 * @example
 * redactUrl("postgres://me:secret@db:5432/app") // "postgres://me@db:5432/app"
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    for (const name of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(name)) parsed.searchParams.delete(name);
    }
    return parsed.toString();
  } catch {
    // Not a parseable URL: keep only what is certainly not a credential.
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? "";
    return `${scheme}(unparseable URL)`;
  }
}
