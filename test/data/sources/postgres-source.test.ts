import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresSource } from "../../../src/data/sources/postgres-source.js";
import { ConnectionError } from "../../../src/spec/errors.js";
import { describeSourceConformance } from "./conformance.js";
import { datasetStatements, directorySnapshot } from "./fixtures.js";
import { describeHostileSuite, type HostileContext } from "./hostile.js";
import { findPostgres, type RealPostgres, startRealPostgres } from "./real-postgres.js";

const ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r";
const secret = `canary-${Math.random().toString(36).slice(2)}`;

/** Everything a hostile statement could change: table contents, the list of relations, large objects. */
const SNAPSHOT_SQL = `SELECT
  (SELECT md5(string_agg(w::text, ',' ORDER BY id)) FROM wells AS w),
  (SELECT md5(string_agg(p::text, ',' ORDER BY day, oil)) FROM production AS p),
  (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace),
  (SELECT count(*) FROM pg_largeobject_metadata)`;

// PGlite served over the Postgres wire protocol on 127.0.0.1, reached with the real `pg` client.
// It shares this event loop, so nothing here may block it, and it cannot stop a runaway query.
describe("postgres over the wire to PGlite", () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let url = "";

  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
    for (const sql of datasetStatements("postgres")) await db.exec(sql);
    server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 16 });
    await server.start();
    url = `postgres://weft:s3cret-pw@${server.getServerConn()}/postgres`;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  const open = () => openPostgresSource({ url });
  describeSourceConformance("postgres (PGlite)", "postgres", open, {
    endlessRowsSql: ENDLESS,
    noTimeoutReason: "PGlite runs in this process and ignores statement_timeout; the PostgreSQL server suite covers it",
  });

  describeHostileSuite(
    "postgres (PGlite)",
    "postgres",
    open,
    () => ({ canary: "/etc/hostname", secret, dir: "/nonexistent", dbFile: "/nonexistent" }),
    { snapshot: async () => (await db.query(SNAPSHOT_SQL, [], { rowMode: "array" })).rows, bomb: false },
  );

  it("shows no password in its label or errors, and converts PostgreSQL's types", async () => {
    const source = await open();
    try {
      expect(source.label).not.toContain("s3cret-pw");
      expect(source.label).toContain(server.getServerConn());
      const { rows, columns } = await source.run(
        `SELECT 9007199254740993::bigint AS big, 12345678901234567.89::numeric AS exact, 1.50::numeric AS small,
           DATE '2020-01-02' AS d, TIMESTAMP '2020-01-02 03:04:05.123456' AS ts,
           TIMESTAMPTZ '2020-01-02 03:04:05+02' AS tz, '\\xaabbcc'::bytea AS b, ARRAY[1, 2] AS a,
           '{"x": 1}'::jsonb AS j, 'NaN'::float8 AS nan, true AS yes, NULL::text AS nothing`,
      );
      expect(rows).toEqual([
        [
          "9007199254740993",
          "12345678901234567.89",
          1.5,
          "2020-01-02",
          "2020-01-02T03:04:05.123456",
          "2020-01-02T01:04:05Z",
          "<blob 3 bytes>",
          "[1,2]",
          '{"x": 1}',
          "NaN",
          true,
          null,
        ],
      ]);
      expect(columns.map((c) => c.type)).toEqual([
        "bigint",
        "numeric",
        "numeric",
        "date",
        "timestamp without time zone",
        "timestamp with time zone",
        "bytea",
        "integer[]",
        "jsonb",
        "double precision",
        "boolean",
        "text",
      ]);
    } finally {
      await source.close();
    }
  });

  it("names tables outside the default schema with their schema", async () => {
    await db.exec("CREATE SCHEMA sales; CREATE TABLE sales.orders (id int PRIMARY KEY, amount numeric)");
    const source = await open();
    try {
      const tables = await source.tables();
      expect(tables.find((t) => t.name === "sales.orders")?.columns.map((c) => c.name)).toEqual(["id", "amount"]);
      expect((await source.profile({ tables: ["sales.orders"] })).tables[0]?.rowCount).toBe(0);
    } finally {
      await source.close();
      await db.exec("DROP SCHEMA sales CASCADE");
    }
  });

  it("fails with ConnectionError, without the password, when nothing listens", async () => {
    const error = await openPostgresSource({ url: "postgres://weft:s3cret-pw@127.0.0.1:1/postgres" }).catch(
      (e: unknown) => e,
    );
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("s3cret-pw");
  });
});

const binaries = findPostgres();
if (typeof binaries === "string")
  console.warn(`[postgres-source.test] skipping the PostgreSQL server suite: ${binaries}.`);

// A real server: statement_timeout works, and a superuser could read files, so the function checks matter.
describe.skipIf(typeof binaries === "string")("postgres server", () => {
  let postgres: RealPostgres;
  let admin: pg.Client;
  let context: HostileContext;

  beforeAll(async () => {
    if (typeof binaries === "string") return;
    postgres = await startRealPostgres(binaries);
    admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    for (const sql of datasetStatements("postgres")) await admin.query(sql);
    const canary = join(postgres.dir, "canary.csv");
    writeFileSync(canary, `secret\n${secret}\n`, { mode: 0o644 });
    context = { canary, secret, dir: postgres.dir, dbFile: canary };
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await postgres?.stop();
  });

  const open = () => openPostgresSource({ url: postgres.url });
  describeSourceConformance("postgres (server)", "postgres", open, { endlessRowsSql: ENDLESS });

  describeHostileSuite("postgres (server)", "postgres", open, () => context, {
    snapshot: async () => ({
      database: (await admin.query({ text: SNAPSHOT_SQL, rowMode: "array" })).rows,
      files: directorySnapshot(postgres.dir),
    }),
    bomb: true,
  });

  it("the connecting role really could read the canary: the refusals above are not luck", async () => {
    const { rows } = await admin.query("SELECT pg_read_file($1) AS text", [context.canary]);
    expect(rows[0].text).toContain(secret);
  });
});
