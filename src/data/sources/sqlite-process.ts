/**
 * Runs SQLite queries in a child process, so that a runaway query can be stopped. better-sqlite3
 * is synchronous and has no interrupt: a recursive CTE that never ends would freeze the calling
 * thread, and a worker thread cannot be terminated while SQLite's C code runs (terminate() never
 * returns and the process cannot exit). A child process can always be killed. One process is kept
 * warm per source and replaced after it is killed.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import type { Cell, QueryColumn } from "../types.js";

export interface SqliteRequest {
  mode: "run" | "check";
  sql: string;
  params?: Array<string | number | null>;
  maxRows?: number;
}

export type SqliteReply =
  | { ok: true; columns?: QueryColumn[]; rows?: Cell[][]; truncated?: boolean }
  | { ok: false; kind?: "not-reader" | "not-read-only"; name?: string; code?: string; message?: string };

export interface SqliteProcess {
  /**
   * Queues one request (they run one at a time). `interrupt()` drops it if it is still queued, or
   * kills the process running it; either way `reply` rejects, and the next request gets a new process.
   */
  request(request: SqliteRequest): { reply: Promise<SqliteReply>; interrupt(): void };
  close(): Promise<void>;
}

/**
 * The child's program. It is sent as source text (`node -e`), so it must not use imports or any
 * name from this module; values are converted here with the same rules as cells.ts.
 */
function sqliteChildMain(): void {
  // biome-ignore lint/suspicious/noExplicitAny: the child has no types.
  let db: any;
  const send = (message: unknown) => process.send?.(message);
  const cell = (value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    if (typeof value === "bigint") {
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    }
    if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
    if (value instanceof Uint8Array) return `<blob ${value.length} bytes>`;
    return value;
  };
  const kindOf = (value: unknown): string | null =>
    typeof value === "bigint"
      ? "INTEGER"
      : typeof value === "number"
        ? "REAL"
        : typeof value === "string"
          ? "TEXT"
          : value instanceof Uint8Array
            ? "BLOB"
            : null;
  process.on("disconnect", () => process.exit(0));
  // biome-ignore lint/suspicious/noExplicitAny: messages are plain JSON.
  process.on("message", (message: any) => {
    if (message.type === "open") {
      try {
        const Database = require(message.modulePath);
        db = new Database(message.path, { readonly: true, fileMustExist: true });
        db.pragma("query_only = ON");
        db.pragma("trusted_schema = OFF");
        db.prepare("SELECT count(*) FROM sqlite_schema").get();
        send({ type: "ready" });
      } catch (error) {
        send({ type: "fatal", message: String((error as Error)?.message ?? error) });
      }
      return;
    }
    const { id, mode, sql, params, maxRows } = message;
    try {
      const statement = db.prepare(sql);
      if (!statement.reader || !statement.readonly) {
        send({ id, ok: false, kind: statement.reader ? "not-read-only" : "not-reader" });
        return;
      }
      if (mode === "check") {
        send({ id, ok: true });
        return;
      }
      statement.raw(true);
      statement.safeIntegers(true);
      const names: Array<{ name: string; type: string | null }> = statement.columns();
      const kinds: Array<string | null> = names.map((c) => c.type);
      const rows: unknown[][] = [];
      let truncated = false;
      for (const row of statement.iterate(...(params ?? []))) {
        if (rows.length >= maxRows) {
          truncated = true;
          break;
        }
        rows.push(
          (row as unknown[]).map((value, c) => {
            kinds[c] ??= kindOf(value);
            return cell(value);
          }),
        );
      }
      const columns = names.map((c, i) => ({ name: c.name, type: kinds[i] ?? "" }));
      send({ id, ok: true, columns, rows, truncated });
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string };
      send({ id, ok: false, name: e?.name, code: e?.code, message: String(e?.message ?? error) });
    }
  });
  send({ type: "started" });
}

// esbuild (tsx, vitest) may wrap named functions in a `__name` helper that does not exist in the child.
const CHILD_SOURCE = `var __name = (target) => target;\n(${sqliteChildMain.toString()})()`;

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  stderr: string[];
  exited: boolean;
}

/**
 * Starts the child process and opens `path` in it read-only. Rejects with the child's error when
 * the file cannot be opened as SQLite.
 *
 * @example
 * const sqlite = await startSqliteProcess("shop.db");
 * await sqlite.request({ mode: "run", sql: "SELECT 1", maxRows: 10 });
 */
export async function startSqliteProcess(path: string): Promise<SqliteProcess> {
  const modulePath = createRequire(import.meta.url).resolve("better-sqlite3");
  let child: Child | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  let closed = false;

  const spawnChild = (): Child => {
    const proc = spawn(process.execPath, ["-e", CHILD_SOURCE], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // Nothing from the parent's environment (keys, NODE_OPTIONS) is needed or wanted there.
      env: {},
      serialization: "json",
      windowsHide: true,
    });
    const state: Child = { process: proc, stderr: [], exited: false, ready: Promise.resolve() };
    proc.stderr?.on("data", (chunk: Buffer) => {
      state.stderr.push(chunk.toString());
      if (state.stderr.length > 20) state.stderr.shift();
    });
    proc.once("exit", () => {
      state.exited = true;
      if (child === state) child = undefined;
    });
    state.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: { type?: string; message?: string }) => {
        if (message.type === "started") proc.send({ type: "open", modulePath, path });
        else if (message.type === "ready") done(() => resolve());
        else if (message.type === "fatal") done(() => reject(new Error(message.message)));
      };
      const onExit = (code: number | null, signal: string | null) =>
        done(() => reject(new Error(`the SQLite process ended (${signal ?? `exit code ${code}`}) ${tailOf(state)}`)));
      const done = (settle: () => void) => {
        proc.off("message", onMessage);
        proc.off("exit", onExit);
        settle();
      };
      proc.on("message", onMessage);
      proc.once("exit", onExit);
    });
    return state;
  };

  const hold = (state: Child, held: boolean) => {
    // Idle, the process must not keep the program alive; busy, the reply must be waited for.
    const channel = state.process.channel as { ref?(): void; unref?(): void } | undefined;
    const stderr = state.process.stderr as { ref?(): void; unref?(): void } | null;
    if (held) {
      state.process.ref();
      channel?.ref?.();
      stderr?.ref?.();
    } else {
      state.process.unref();
      channel?.unref?.();
      stderr?.unref?.();
    }
  };

  const send = async (request: SqliteRequest, onStart: (state: Child) => void): Promise<SqliteReply> => {
    if (closed) throw new Error("the SQLite source is closed");
    child ??= spawnChild();
    const state = child;
    onStart(state);
    hold(state, true);
    try {
      await state.ready;
      const id = nextId++;
      return await new Promise<SqliteReply>((resolve, reject) => {
        const onMessage = (message: SqliteReply & { id?: number }) => {
          if (message.id !== id) return;
          cleanup();
          const { id: _, ...reply } = message;
          resolve(reply as SqliteReply);
        };
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          reject(new Error(`the SQLite process ended (${signal ?? `exit code ${code}`}) ${tailOf(state)}`));
        };
        const cleanup = () => {
          state.process.off("message", onMessage);
          state.process.off("exit", onExit);
        };
        if (state.exited) return onExit(state.process.exitCode, state.process.signalCode);
        state.process.on("message", onMessage);
        state.process.once("exit", onExit);
        state.process.send({ ...request, id });
      });
    } finally {
      if (!state.exited) hold(state, false);
    }
  };

  const first = spawnChild();
  child = first;
  try {
    await first.ready;
  } catch (error) {
    first.process.kill("SIGKILL");
    throw error;
  } finally {
    if (!first.exited) hold(first, false);
  }

  return {
    request(request) {
      let phase: "queued" | "running" | "done" = "queued";
      let running: Child | undefined;
      let drop: ((error: Error) => void) | undefined;
      const dropped = new Promise<never>((_, reject) => {
        drop = reject;
      });
      const queued = tail.then(() => {
        if (phase !== "queued") throw new Error("the query was stopped before it started");
        phase = "running";
        return send(request, (state) => {
          running = state;
        });
      });
      tail = queued.catch(() => undefined);
      const reply = Promise.race([queued, dropped]).finally(() => {
        phase = "done";
      });
      return {
        reply,
        interrupt() {
          if (phase === "queued") {
            phase = "done";
            drop?.(new Error("the query was stopped before it started"));
          } else if (phase === "running" && running) {
            if (child === running) child = undefined;
            running.process.kill("SIGKILL");
          }
        },
      };
    },
    async close() {
      closed = true;
      const running = child;
      child = undefined;
      if (!running || running.exited) return;
      const exited = new Promise((resolve) => running.process.once("exit", resolve));
      // Held until it has exited, or the program could end before close() resolves.
      hold(running, true);
      running.process.kill("SIGKILL");
      await exited;
    },
  };
}

function tailOf(state: Child): string {
  const text = state.stderr.join("").trim();
  return text ? `: ${text.slice(-500)}` : "";
}
