/**
 * The worker side of the code sandbox, as CommonJS text (see worker-host.ts for why it is text).
 *
 * Each request gets a fresh QuickJS runtime and context with a memory limit, a stack limit, an
 * interrupt handler with a deadline and a module loader that refuses everything; the only host
 * function is the sink behind `console`.
 *
 * Memory is bounded twice. QuickJS's own limit counts the object heap but, in this WebAssembly
 * build, not the backing stores of large strings and typed arrays; so the module also gets a
 * WebAssembly.Memory with a fixed maximum, which makes allocations past it fail inside the
 * interpreter.
 *
 * A run that ends in a low-level failure (the interpreter's native recursion overflowing the
 * thread's stack, the memory cap, an out-of-memory error, a WebAssembly abort) leaves the module
 * in an unknown state: it is dropped without further calls into it and the next run loads a fresh
 * one. Runs whose interrupt checks come too rarely are ended by the host terminating the worker.
 *
 * Request: `{ code, limits: { memoryLimitBytes, timeLimitMs, maxStackBytes, maxOutputChars,
 * maxResultChars } }`. Reply: a SandboxOutcome (see quickjs-runner.ts).
 */
export const QUICKJS_WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const core = require(workerData.corePath);
const variantModule = require(workerData.variantPath);
const variant = variantModule.default || variantModule;
const { preludeSource, memoryLimitBytes } = workerData;

const MAX_DEPTH = 32;
const DESCRIBE_HEADROOM_BYTES = 1 << 20;
const JOB_BATCH = 256;
const WASM_PAGE = 64 * 1024;
const WASM_BASE_BYTES = 16 * 1024 * 1024;

let loaded;

async function loadModule() {
  // Room for QuickJS's own limit plus the same again for allocations it does not count.
  const maximumBytes = WASM_BASE_BYTES + 2 * memoryLimitBytes + DESCRIBE_HEADROOM_BYTES;
  const memory = new WebAssembly.Memory({
    initial: WASM_BASE_BYTES / WASM_PAGE,
    maximum: Math.ceil(maximumBytes / WASM_PAGE),
  });
  const state = { quickjs: undefined, capHit: false };
  // Emscripten grows the heap through this object; a refused growth is how the cap shows.
  const grow = memory.grow.bind(memory);
  memory.grow = (delta) => {
    try {
      return grow(delta);
    } catch (error) {
      state.capHit = true;
      throw error;
    }
  };
  const configured = core.newVariant(variant, {
    wasmMemory: memory,
    emscriptenModule: { printErr: () => undefined },
  });
  state.quickjs = await core.newQuickJSWASMModuleFromVariant(configured);
  return state;
}

function stringOf(ctx, handle) {
  return ctx.typeof(handle) === "string" ? ctx.getString(handle) : undefined;
}

function drainJobs(runtime, expired, keep) {
  while (!expired()) {
    const result = runtime.executePendingJobs(JOB_BATCH);
    if (result.error) return keep(result.error);
    if (result.value === 0) return undefined;
  }
  return undefined;
}

function execute(state, code, limits) {
  let stdout = "";
  let stdoutTruncated = false;
  let interrupted = false;
  let deadline = Number.POSITIVE_INFINITY;
  let poisoned = false;
  let runtime;
  let context;
  const handles = [];
  const keep = (handle) => {
    handles.push(handle);
    return handle;
  };
  const append = (text) => {
    const room = limits.maxOutputChars - stdout.length;
    if (text.length + 1 > room) {
      stdout += text.slice(0, Math.max(0, room));
      stdoutTruncated = true;
    } else stdout += text + "\\n";
  };
  const limited = (limit) => {
    // After the memory cap or an out-of-memory error, QuickJS may fail its own checks on disposal.
    if (limit === "memory") poisoned = true;
    return { status: "limit", limit, stdout, stdoutTruncated };
  };

  try {
    runtime = state.quickjs.newRuntime();
    runtime.setMemoryLimit(limits.memoryLimitBytes);
    runtime.setMaxStackSize(limits.maxStackBytes);
    runtime.setInterruptHandler(() => {
      if (Date.now() <= deadline) return false;
      interrupted = true;
      return true;
    });
    runtime.setModuleLoader(() => ({ error: new Error("modules are not available in the sandbox") }));
    const ctx = runtime.newContext();
    context = ctx;

    // Returns true once the output is full, so the console stops formatting lines.
    const write = keep(
      ctx.newFunction("write", (_level, text) => {
        if (!stdoutTruncated && text !== undefined && ctx.typeof(text) === "string") append(ctx.getString(text));
        return stdoutTruncated ? ctx.true : ctx.false;
      }),
    );
    const prelude = keep(ctx.unwrapResult(ctx.evalCode(preludeSource, "prelude.js", { type: "global" })));
    const maxChars = keep(ctx.newNumber(Math.max(limits.maxOutputChars, limits.maxResultChars)));
    const maxDepth = keep(ctx.newNumber(MAX_DEPTH));
    const helpers = keep(ctx.unwrapResult(ctx.callFunction(prelude, ctx.undefined, write, maxChars, maxDepth)));
    const serialize = keep(ctx.getProp(helpers, "serialize"));
    const describeError = keep(ctx.getProp(helpers, "describeError"));

    deadline = Date.now() + limits.timeLimitMs;
    const expired = () => interrupted || Date.now() > deadline;
    const evaluated = ctx.evalCode(code, "code.js", { type: "global" });
    let value;
    let thrown;
    if (evaluated.error) thrown = keep(evaluated.error);
    else value = keep(evaluated.value);
    if (state.capHit) return limited("memory");

    if (!thrown) thrown = drainJobs(runtime, expired, keep);
    if (state.capHit) return limited("memory");
    // A flood of short promise jobs may outlast the deadline without tripping the interrupt handler.
    if (expired()) return limited("time");

    if (!thrown && value && ctx.typeof(value) === "object") {
      const promise = ctx.getPromiseState(value);
      if (promise.type === "fulfilled" && !promise.notAPromise) value = keep(promise.value);
      else if (promise.type === "rejected") thrown = keep(promise.error);
      else if (promise.type === "pending") {
        return {
          status: "error",
          error:
            "The script returned a promise that never settled (the sandbox has no timers, network or file access that could settle it).",
          stdout,
          stdoutTruncated,
        };
      }
    }

    if (!thrown) {
      const serialized = ctx.callFunction(serialize, ctx.undefined, value === undefined ? ctx.undefined : value);
      if (state.capHit) return limited("memory");
      if (serialized.error) thrown = keep(serialized.error);
      else {
        const json = stringOf(ctx, keep(serialized.value));
        const resultTruncated = json !== undefined && json.length > limits.maxResultChars;
        const resultJson = resultTruncated ? json.slice(0, limits.maxResultChars) : json;
        return { status: "ok", resultJson, resultTruncated, stdout, stdoutTruncated };
      }
    }

    if (interrupted) return limited("time");
    runtime.setMemoryLimit(limits.memoryLimitBytes + DESCRIBE_HEADROOM_BYTES);
    const described = ctx.callFunction(describeError, ctx.undefined, thrown);
    if (state.capHit) return limited("memory");
    if (interrupted) return limited("time");
    let text;
    if (described.error) keep(described.error);
    else text = stringOf(ctx, keep(described.value));
    if (text !== undefined && text.startsWith("InternalError: out of memory")) return limited("memory");
    if (text !== undefined && text.startsWith("InternalError: stack overflow")) return limited("stack");
    return { status: "error", error: text === undefined ? "Uncaught exception (it could not be described)" : text, stdout, stdoutTruncated };
  } catch (error) {
    // A host-level failure inside the interpreter: never call into this module again.
    poisoned = true;
    if (state.capHit) return limited("memory");
    if (error instanceof RangeError) return limited("stack");
    if (interrupted) return limited("time");
    return { status: "crashed", message: String(error && error.message), stdout, stdoutTruncated };
  } finally {
    if (!poisoned) {
      try {
        for (const handle of handles.reverse()) if (handle.alive) handle.dispose();
        if (context) context.dispose();
        if (runtime) runtime.dispose();
      } catch {
        poisoned = true;
      }
    }
    if (poisoned && loaded === state) loaded = undefined;
  }
}

parentPort.on("message", async ({ code, limits }) => {
  try {
    if (!loaded) loaded = await loadModule();
    loaded.capHit = false;
    parentPort.postMessage(execute(loaded, code, limits));
  } catch (error) {
    loaded = undefined;
    parentPort.postMessage({ status: "crashed", message: String(error && error.message), stdout: "", stdoutTruncated: false });
  }
});

loadModule().then(
  (state) => {
    loaded = state;
    parentPort.postMessage({ ready: true });
  },
  (error) => {
    throw error;
  },
);
`;
