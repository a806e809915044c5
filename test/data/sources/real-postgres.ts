/**
 * A throwaway PostgreSQL server for tests that PGlite cannot serve: PGlite runs on this process's
 * event loop and ignores statement_timeout, and it has no real file system behind pg_read_file.
 * Uses the installed `initdb` and `postgres`; under root it runs them as the `postgres` user.
 * `findPostgres()` says why it cannot, so that tests can skip visibly.
 */
import { spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Set when running as root: the account the server runs as. */
  user?: { uid: number; gid: number };
}

export interface RealPostgres {
  url: string;
  /** A directory the server's user can read and write, for files the tests plant or look for. */
  dir: string;
  stop(): Promise<void>;
}

/** The installed server binaries, or the reason there are none usable. */
export function findPostgres(): PostgresBinaries | string {
  const dirs = [
    ...(process.env.PATH ?? "").split(":"),
    ...(existsSync("/usr/lib/postgresql")
      ? readdirSync("/usr/lib/postgresql")
          .sort()
          .reverse()
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ];
  const bin = dirs.find((d) => d && existsSync(join(d, "initdb")) && existsSync(join(d, "postgres")));
  if (!bin) return "no PostgreSQL server binaries (initdb, postgres) are installed";
  const found: PostgresBinaries = { initdb: join(bin, "initdb"), postgres: join(bin, "postgres") };
  if (process.getuid?.() === 0) {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith("postgres:"));
    const [, , uid, gid] = line?.split(":") ?? [];
    if (uid === undefined || gid === undefined)
      return "running as root and there is no 'postgres' user to run the server";
    found.user = { uid: Number(uid), gid: Number(gid) };
  }
  return found;
}

function run(command: string, args: string[], binaries: PostgresBinaries): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], ...binaries.user });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${stderr}`)),
    );
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address !== "object") throw new Error("no port");
  return address.port;
}

/** Creates a cluster in a temporary directory and starts a server on 127.0.0.1 (trust auth, user `weft`). */
export async function startRealPostgres(binaries: PostgresBinaries): Promise<RealPostgres> {
  const root = mkdtempSync(join(tmpdir(), "weft-postgres-"));
  chmodSync(root, 0o777);
  if (binaries.user) chownSync(root, binaries.user.uid, binaries.user.gid);
  const data = join(root, "data");
  await run(binaries.initdb, ["-D", data, "-A", "trust", "-U", "weft", "--no-sync", "-E", "UTF8"], binaries);
  const port = await freePort();
  const server = spawn(
    binaries.postgres,
    ["-D", data, "-k", root, "-h", "127.0.0.1", "-p", String(port), "-c", "fsync=off", "-c", "max_connections=30"],
    { stdio: ["ignore", "ignore", "pipe"], ...binaries.user },
  );
  let log = "";
  server.stderr.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const url = `postgres://weft@127.0.0.1:${port}/postgres`;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt > 150 || server.exitCode !== null) {
        server.kill("SIGKILL");
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const dir = join(root, "files");
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  return {
    url,
    dir,
    async stop() {
      server.kill("SIGINT");
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
