import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(repoRoot, "bin", "weft.js");

if (!existsSync(join(repoRoot, "dist", "cli", "main.js"))) {
  throw new Error("The CLI tests run the built binary: run `npm run build` first (npm test does).");
}

export interface WeftRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh folder to run in, with its own HOME so no user config or models leak in. */
export function tempDir(prefix = "weft-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the real `weft` binary asynchronously (the fake servers live in this process's event loop). */
export function runWeft(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<WeftRun> {
  const cwd = opts.cwd ?? tempDir();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: cwd,
    // Point auto-detection of local servers at nothing unless a test says otherwise.
    ...opts.env,
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** A localhost port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Env that points every local-server probe at a dead port, so detection is deterministic. */
export async function noLocalServers(): Promise<Record<string, string>> {
  const url = `http://127.0.0.1:${await deadPort()}/v1`;
  return { OLLAMA_BASE_URL: url, LLAMACPP_BASE_URL: url, LMSTUDIO_BASE_URL: url, VLLM_BASE_URL: url };
}

/** A stack trace line, which an expected failure must never print. */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
