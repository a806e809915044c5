/**
 * Host side of the code sandbox: runs scripts with QuickJS (compiled to WebAssembly) in a worker
 * thread, see quickjs-worker-source.ts. The interpreter's interrupt handler stops ordinary
 * runaway scripts at the time limit and keeps their output; scripts that starve the interrupt
 * handler (e.g. catching stack overflows in a loop) are stopped by terminating the worker after a
 * grace period. Either way the host's event loop is never blocked.
 */
import { createRequire } from "node:module";
import { MissingDependencyError } from "../../../spec/errors.js";
import { PRELUDE_SOURCE } from "./prelude.js";
import { QUICKJS_WORKER_SOURCE } from "./quickjs-worker-source.js";
import { createWorkerHost, type WorkerHost } from "./worker-host.js";

export interface SandboxLimits {
  memoryLimitBytes: number;
  timeLimitMs: number;
  maxStackBytes: number;
  maxOutputChars: number;
  maxResultChars: number;
}

export type SandboxOutcome =
  | { status: "ok"; resultJson?: string; resultTruncated: boolean; stdout: string; stdoutTruncated: boolean }
  | { status: "error"; error: string; stdout: string; stdoutTruncated: boolean }
  | { status: "limit"; limit: "time" | "memory" | "stack"; stdout: string; stdoutTruncated: boolean }
  | { status: "crashed"; message: string; stdout: string; stdoutTruncated: boolean };

/** Extra time the interpreter gets to stop by itself before its worker is terminated. */
export function graceMs(timeLimitMs: number): number {
  return Math.max(1000, timeLimitMs);
}

function resolvePackages(): { corePath: string; variantPath: string } {
  const require = createRequire(import.meta.url);
  try {
    return {
      corePath: require.resolve("quickjs-emscripten-core"),
      variantPath: require.resolve("@jitl/quickjs-wasmfile-release-sync"),
    };
  } catch (cause) {
    throw new MissingDependencyError({
      packageName: "quickjs-emscripten-core @jitl/quickjs-wasmfile-release-sync",
      feature: "The code tool",
      cause,
    });
  }
}

/**
 * Creates a runner owning one sandbox worker sized for `limits`; runs are queued and executed one
 * at a time. The worker starts on the first run and is closed when idle.
 */
export function createQuickJSRunner(limits: SandboxLimits) {
  let host: WorkerHost<{ code: string; limits: SandboxLimits }, SandboxOutcome> | undefined;

  return {
    async run(code: string, signal?: AbortSignal): Promise<SandboxOutcome> {
      host ??= createWorkerHost({
        source: QUICKJS_WORKER_SOURCE,
        workerData: { ...resolvePackages(), preludeSource: PRELUDE_SOURCE, memoryLimitBytes: limits.memoryLimitBytes },
        // The interpreter's memory lives outside the V8 heap; this bounds the worker's own objects.
        resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      });
      const result = await host.request(
        { code, limits },
        { timeoutMs: limits.timeLimitMs + graceMs(limits.timeLimitMs), signal },
      );
      const empty = { stdout: "", stdoutTruncated: false };
      switch (result.status) {
        case "ok":
          return result.reply;
        case "timeout":
          return { status: "limit", limit: "time", ...empty };
        case "memory":
          return { status: "limit", limit: "memory", ...empty };
        case "crashed":
          return { status: "crashed", message: result.error.message, ...empty };
      }
    },
  };
}
