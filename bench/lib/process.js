import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./stats.js";

/** The repository root (bench/ is one level below it). */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** True when `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl) {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(path.resolve(process.argv[1])).href;
}

/**
 * Runs `node <file> --worker ...args` in a fresh process and returns the JSON it prints last.
 * Each competitor runs in its own process so that one library's globals (async hooks, patched
 * promises, heap growth) cannot slow another one down.
 */
export function runWorker(file, args, { env } = {}) {
  let stdout;
  try {
    stdout = execFileSync(process.execPath, [file, "--worker", ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    throw new Error(`worker ${path.basename(file)} ${args.join(" ")} failed: ${error.stderr || error.message}`);
  }
  const last = stdout.trim().split("\n").at(-1);
  return JSON.parse(last);
}

/** Prints a worker's result for its parent. */
export function reply(value) {
  process.stdout.write(`\n${JSON.stringify(value)}\n`);
}

/**
 * Wall-clock milliseconds of spawning `node ...args` to exit, for each command, interleaved
 * (A B C, A B C, ...) so that background load hits every command alike. One untimed warm-up each.
 */
export function timeSpawns(commands, { runs = 15 } = {}) {
  const samples = commands.map(() => []);
  const once = (command) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, command.args, { cwd: repoRoot, stdio: "pipe", env: process.env });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) {
      throw new Error(`node ${command.args.join(" ")} exited with ${result.status}: ${String(result.stderr).trim()}`);
    }
    return ms;
  };
  for (const command of commands) once(command);
  for (let r = 0; r < runs; r++) {
    for (const [i, command] of commands.entries()) samples[i].push(once(command));
  }
  return commands.map((command, i) => ({ ...command, samples: samples[i], medianMs: median(samples[i]) }));
}
