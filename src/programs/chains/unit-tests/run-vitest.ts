import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { MissingDependencyError } from "../../../spec/errors.js";
import type { TypeScriptApi } from "./typescript.js";

export interface RunVitestOptions {
  /** Absolute path of the source file under test. */
  sourceFile: string;
  /** The test file's content and name; it is placed next to the copied source file. */
  testCode: string;
  testFileName: string;
  /** Appended to the copy of the source as `export { name }`, so tests can import a function the file keeps private. */
  exportName?: string;
  /** Limit for the whole vitest run (default 120 s); the process is killed when it passes. */
  timeoutMs?: number;
  /** vitest's entry script; default: resolved from the source's folder, then from weft's own. */
  vitestPath?: string;
  /** Where the temporary folder is made (default: the system's temporary directory). */
  tempRoot?: string;
}

export interface VitestFailure {
  /** The test's full name, or the file when it failed to load. */
  test: string;
  message: string;
}

export interface VitestRun {
  /** Every test passed and there was at least one. */
  ok: boolean;
  passed: number;
  failed: number;
  total: number;
  failures: VitestFailure[];
  timedOut: boolean;
  exitCode: number | null;
  /** The end of vitest's console output, for failures the report does not explain. */
  output: string;
  durationMs: number;
}

const CODE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const MAX_FILES = 200;

/** Finds vitest's entry script: the project's own vitest first, then the one weft was installed with. */
export function resolveVitest(fromDir: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [fromDir, here]) {
    try {
      const pkgPath = createRequire(join(dir, "index.js")).resolve("vitest/package.json");
      const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { bin?: string | Record<string, string> };
      const bin = typeof pkg.bin === "string" ? pkg.bin : (pkg.bin?.vitest ?? "vitest.mjs");
      return join(dirname(pkgPath), bin);
    } catch {
      // Not installed here; try the next place.
    }
  }
  throw new MissingDependencyError({ packageName: "vitest", feature: "Running the generated tests (--run)" });
}

function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const ext = extname(base);
  const swaps: Record<string, string[]> = {
    ".js": [".ts", ".tsx"],
    ".jsx": [".tsx"],
    ".mjs": [".mts"],
    ".cjs": [".cts"],
  };
  const stem = base.slice(0, base.length - ext.length);
  const candidates = [
    ...(swaps[ext] ?? []).map((e) => stem + e),
    base,
    ...CODE_EXTENSIONS.map((e) => base + e),
    ...CODE_EXTENSIONS.map((e) => join(base, `index${e}`)),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The source file and every local module it imports, transitively. */
async function localModules(ts: TypeScriptApi, entry: string): Promise<string[]> {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined && seen.size <= MAX_FILES; file = queue.shift()) {
    if (!CODE_EXTENSIONS.includes(extname(file))) continue;
    const imports = ts.preProcessFile(await readFile(file, "utf8"), true, true).importedFiles;
    for (const { fileName } of imports) {
      if (!fileName.startsWith(".")) continue;
      const found = resolveLocal(file, fileName);
      if (found && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return [...seen];
}

function commonDir(files: string[]): string {
  let dir = dirname(files[0] ?? "/");
  while (!files.every((f) => f.startsWith(dir.endsWith(sep) ? dir : dir + sep)) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return dir;
}

function nearestNodeModules(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes start with ESC
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** The unhandled-errors section of vitest's console output, else its end. */
function unhandled(output: string): string {
  const at = output.indexOf("Unhandled Error");
  return (at >= 0 ? output.slice(at, at + 1200) : output.slice(-800)).trim();
}

/** Keeps the message and the test file's own frames (relative to its folder), drops vitest's internals. */
function cleanMessage(message: string, testDir: string): string {
  const lines = stripAnsi(message)
    .replaceAll(`${testDir}${sep}`, "")
    .split("\n")
    .filter((line) => !/^\s+at /.test(line) || /\.test\.[cm]?[tj]sx?:\d+/.test(line));
  const text = lines.join("\n").trim();
  return text.length > 800 ? `${text.slice(0, 800)}…` : text;
}

interface JsonReport {
  numTotalTests?: number;
  numPassedTests?: number;
  numFailedTests?: number;
  testResults?: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults?: Array<{ fullName: string; status: string; failureMessages?: string[] }>;
  }>;
}

/**
 * Runs a test file with vitest in a temporary folder holding a copy of the source file (and the
 * local modules it imports), then removes the folder. The run has a minimal environment (no API
 * keys) and a time limit; it is not a sandbox: the tests run as ordinary code.
 *
 * @example
 * const run = await runVitest({ ts, sourceFile: "/src/math.ts", testCode, testFileName: "math.test.ts" });
 * if (!run.ok) console.log(run.failures);
 */
export async function runVitest(options: RunVitestOptions & { ts: TypeScriptApi }): Promise<VitestRun> {
  const vitest = options.vitestPath ?? resolveVitest(dirname(options.sourceFile));
  const started = performance.now();
  // The real path, because vitest reports real paths (macOS links /var to /private/var).
  const dir = await realpath(await mkdtemp(join(options.tempRoot ?? tmpdir(), "weft-unit-tests-")));
  try {
    const files = await localModules(options.ts, options.sourceFile);
    const root = commonDir(files);
    for (const file of files) {
      const target = join(dir, "src", relative(root, file));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(file, target);
    }
    const sourceCopy = join(dir, "src", relative(root, options.sourceFile));
    if (options.exportName) {
      const code = await readFile(sourceCopy, "utf8");
      await writeFile(sourceCopy, `${code}\nexport { ${options.exportName} };\n`);
    }
    const testPath = join(dirname(sourceCopy), options.testFileName);
    await writeFile(testPath, options.testCode);
    const modules = nearestNodeModules(dirname(options.sourceFile));
    if (modules) await symlink(modules, join(dir, "node_modules"), "junction");
    const config = join(dir, "vitest.config.mjs");
    await writeFile(
      config,
      `export default ${JSON.stringify({
        cacheDir: join(dir, ".vite"),
        test: { include: [relative(dir, testPath).split(sep).join("/")], watch: false },
      })};\n`,
    );
    const report = join(dir, "report.json");
    // The JSON report for the results; the dot reporter's console output for errors outside any test.
    const args = [vitest, "run", "--root", dir, "--config", config, "--reporter=json", "--reporter=dot"];
    args.push(`--outputFile.json=${report}`);
    const { exitCode, timedOut, output } = await spawnNode(args, dir, options.timeoutMs ?? 120_000);
    const parsed = existsSync(report) ? (JSON.parse(await readFile(report, "utf8")) as JsonReport) : undefined;
    const failures: VitestFailure[] = [];
    for (const file of parsed?.testResults ?? []) {
      const name = relative(dirname(testPath), file.name) || options.testFileName;
      if (file.status === "failed" && !file.assertionResults?.some((a) => a.status === "failed")) {
        failures.push({
          test: name,
          message: cleanMessage(file.message || "the file failed to load", dirname(testPath)),
        });
      }
      for (const a of file.assertionResults ?? []) {
        if (a.status === "failed") {
          failures.push({
            test: a.fullName,
            message: cleanMessage(a.failureMessages?.join("\n") ?? "failed", dirname(testPath)),
          });
        }
      }
    }
    if (timedOut) {
      failures.push({
        test: options.testFileName,
        message: `vitest did not finish within ${options.timeoutMs ?? 120_000} ms (a test may loop forever or wait on something that never happens).`,
      });
    } else if (!parsed) {
      failures.push({ test: options.testFileName, message: `vitest wrote no report: ${output.slice(-800)}` });
    }
    const total = parsed?.numTotalTests ?? 0;
    if (parsed && total === 0 && failures.length === 0) {
      failures.push({
        test: options.testFileName,
        message: "No tests found: the file must define tests with it() or test().",
      });
    }
    if (exitCode !== 0 && failures.length === 0) {
      // e.g. an unhandled error or rejection outside any test, which vitest reports only on the console.
      failures.push({
        test: options.testFileName,
        message: `vitest exited with code ${exitCode}: ${unhandled(output)}`,
      });
    }
    return {
      ok: failures.length === 0,
      passed: parsed?.numPassedTests ?? 0,
      failed: parsed?.numFailedTests ?? 0,
      total,
      failures,
      timedOut,
      exitCode,
      output,
      durationMs: performance.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnNode(
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; timedOut: boolean; output: string }> {
  // The generated tests get no API keys or other secrets from this process's environment.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: cwd,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: "test",
    CI: "1",
    NO_COLOR: "1",
  };
  // Its own process group (POSIX), so that vitest's worker processes can be ended with it.
  const group = process.platform !== "win32";
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: group,
      windowsHide: true,
    });
    const kill = () => {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    };
    // A detached group outlives this process unless ended here: on exit, Ctrl-C or a terminate signal.
    const onSignal = (signal: NodeJS.Signals) => {
      kill();
      release();
      process.kill(process.pid, signal);
    };
    const release = () => {
      process.off("exit", kill);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
    process.once("exit", kill);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + stripAnsi(chunk.toString("utf8"))).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      release();
      reject(error);
    });
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      release();
      resolvePromise({ exitCode, timedOut, output });
    });
  });
}
