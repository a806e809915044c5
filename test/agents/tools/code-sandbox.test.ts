import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CodeToolResult, codeTool } from "../../../src/agents/tools/code.js";
import { ToolSafetyError } from "../../../src/spec/errors.js";

const dir = mkdtempSync(join(tmpdir(), "weft-sandbox-"));
const CANARY = join(dir, "canary.txt");
const ctx = () => ({ toolCallId: "t", abortSignal: new AbortController().signal });
const sandbox = codeTool({ timeLimitMs: 400 });
const run = (code: string) => sandbox.execute({ code }, ctx());
// Memory bombs are stopped by the memory limit long before this time limit.
const roomy = codeTool({ timeLimitMs: 20_000 });

async function safetyError(code: string, tool = sandbox): Promise<ToolSafetyError> {
  try {
    const result = await tool.execute({ code }, ctx());
    throw new Error(`expected a ToolSafetyError, got ${JSON.stringify(result).slice(0, 200)}`);
  } catch (error) {
    if (!(error instanceof ToolSafetyError)) throw error;
    return error;
  }
}

function isNative(fn: unknown): boolean {
  return typeof fn === "function" && Function.prototype.toString.call(fn).includes("[native code]");
}

/** Everything an escape could change in the host, compared before and after each attempt. */
function hostState() {
  return {
    canary: existsSync(CANARY),
    env: JSON.stringify(process.env),
    exitCode: process.exitCode,
    globals: Object.getOwnPropertyNames(globalThis).sort().join(","),
    objectProto: Object.getOwnPropertyNames(Object.prototype).sort().join(","),
    arrayProto: Object.getOwnPropertyNames(Array.prototype).sort().join(","),
    functionProto: Object.getOwnPropertyNames(Function.prototype).sort().join(","),
    nativeRandom: isNative(Math.random),
    nativeNow: isNative(Date.now),
    nativeParse: isNative(JSON.parse),
    prepareStackTrace: typeof (Error as { prepareStackTrace?: unknown }).prepareStackTrace,
  };
}

let before: ReturnType<typeof hostState>;
beforeEach(() => {
  before = hostState();
});
afterEach(() => {
  expect(hostState()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeCanary = `require('fs').writeFileSync(${JSON.stringify(CANARY)}, 'escaped')`;

describe("code sandbox: it works", () => {
  it("returns the completion value and console output", async () => {
    const r = await run("const xs = [3, 1, 2]; console.log('n =', xs.length); console.warn({ a: 1 }); xs.sort()");
    expect(r.result).toEqual([1, 2, 3]);
    expect(r.stdout).toBe('n = 3\n{"a":1}\n');
    expect(r.error).toBeUndefined();
  });

  it("awaits a returned promise", async () => {
    const r = await run("(async () => { const v = await Promise.resolve(20); return v + 1 })()");
    expect(r.result).toBe(21);
  });

  it("reports an exception with its line and keeps the output before it", async () => {
    const r = await run("console.log('before');\nnull.x");
    expect(r.stdout).toBe("before\n");
    expect(r.error).toMatch(/^TypeError: .*null/);
    expect(r.error).toContain("code.js:2");
  });

  it("renders values JSON cannot hold", async () => {
    const r = await run(
      "({ big: 10n ** 20n, nan: NaN, inf: -Infinity, map: new Map([[1, 'a']]), set: new Set([2]), u: undefined })",
    );
    expect(r.result).toEqual({
      big: "100000000000000000000n",
      nan: "NaN",
      inf: "-Infinity",
      map: [[1, "a"]],
      set: [2],
    });
  });
});

describe("code sandbox: escape attempts fail and leave the host alone", () => {
  it("1. require('fs') does not exist", async () => {
    const r = await run(writeCanary);
    expect(r.error).toMatch(/ReferenceError: 'require' is not defined/);
  });

  it("2. process.exit does not exist", async () => {
    const r = await run("process.exit(3)");
    expect(r.error).toMatch(/ReferenceError: 'process' is not defined/);
  });

  it("3. process.env cannot be read or written", async () => {
    const r = await run("process.env.WEFT_SANDBOX_ESCAPE = '1'; process.env.HOME");
    expect(r.error).toMatch(/ReferenceError/);
    expect(process.env.WEFT_SANDBOX_ESCAPE).toBeUndefined();
  });

  it("4. dynamic import('fs') is refused", async () => {
    const r = await run(`import('fs').then((fs) => fs.writeFileSync(${JSON.stringify(CANARY)}, 'x'))`);
    expect(r.error).toContain("modules are not available in the sandbox");
  });

  it("5. dynamic import('node:child_process') is refused", async () => {
    const r = await run(
      "(async () => { const cp = await import('node:child_process'); return cp.execSync('id').toString() })()",
    );
    expect(r.error).toContain("modules are not available in the sandbox");
  });

  it("6. a static import is a syntax error in a script", async () => {
    const r = await run("import fs from 'fs'; fs.readFileSync('/etc/passwd', 'utf8')");
    expect(r.error).toMatch(/^SyntaxError/);
  });

  it("7. the quickjs std and os modules are absent", async () => {
    const r = await run(
      "(async () => { const out = [typeof std, typeof os, typeof scriptArgs]; for (const m of ['std', 'os', 'qjs:std', 'qjs:os']) { try { await import(m); out.push('loaded ' + m) } catch (e) { out.push('refused') } } return out })()",
    );
    expect(r.result).toEqual(["undefined", "undefined", "undefined", "refused", "refused", "refused", "refused"]);
  });

  it("8. eval cannot reach host APIs", async () => {
    const r = await run(`eval("typeof require + typeof process + typeof globalThis.Buffer")`);
    expect(r.result).toBe("undefinedundefinedundefined");
  });

  it("9. the Function constructor builds sandbox functions only", async () => {
    const r = await run("new Function('return typeof process + typeof require + typeof module')()");
    expect(r.result).toBe("undefinedundefinedundefined");
  });

  it("10. this.constructor.constructor('return process')() finds no process", async () => {
    const r = await run("const p = this.constructor.constructor('return process')(); p.exit(1)");
    expect(r.error).toMatch(/ReferenceError: 'process' is not defined/);
  });

  it("11. console's functions lead only back into the sandbox", async () => {
    const r = await run(
      "[console.log.constructor('return typeof process')(), Object.getOwnPropertyNames(console).sort()]",
    );
    const [processType, names] = r.result as [string, string[]];
    expect(processType).toBe("undefined");
    expect(names).toEqual(["debug", "error", "info", "log", "warn"]);
  });

  it("12. fetch, XMLHttpRequest and WebSocket do not exist", async () => {
    const r = await run("[typeof fetch, typeof XMLHttpRequest, typeof WebSocket, typeof navigator, typeof Request]");
    expect(r.result).toEqual(["undefined", "undefined", "undefined", "undefined", "undefined"]);
  });

  it("13. there are no timers", async () => {
    const r = await run("[typeof setTimeout, typeof setInterval, typeof setImmediate, typeof queueMicrotask]");
    expect(r.result).toEqual(["undefined", "undefined", "undefined", "undefined"]);
  });

  it("14. Atomics.wait cannot block the host", async () => {
    const r = await run("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)");
    expect(r.error).toMatch(/ReferenceError: 'Atomics' is not defined/);
  });

  it("15. a busy wait on a SharedArrayBuffer is stopped by the time limit", async () => {
    const error = await safetyError("const a = new Int32Array(new SharedArrayBuffer(4)); while (a[0] === 0) {}");
    expect(error.message).toContain("400 ms time limit");
  });

  it("16. WebAssembly is not available", async () => {
    const r = await run("WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))");
    expect(r.error).toMatch(/ReferenceError: 'WebAssembly' is not defined/);
  });

  it("17. the global object holds only language built-ins and console", async () => {
    const r = await run("Object.getOwnPropertyNames(globalThis)");
    const names = r.result as string[];
    expect(names).toContain("console");
    expect(names).toContain("JSON");
    for (const hostName of [
      "process",
      "require",
      "module",
      "exports",
      "Buffer",
      "global",
      "fetch",
      "setTimeout",
      "std",
      "os",
    ]) {
      expect(names).not.toContain(hostName);
    }
    const builtins = new Set(Object.getOwnPropertyNames(globalThis));
    const unknown = names.filter(
      (n) => !builtins.has(n) && !["console", "InternalError", "Iterator", "Float16Array"].includes(n),
    );
    expect(unknown).toEqual([]);
  });

  it("18. Object.prototype pollution stays in the sandbox and does not reach the next run", async () => {
    const r = await run("Object.prototype.polluted = 'yes'; ({}).polluted");
    expect(r.result).toBe("yes");
    const next = await run("({}).polluted");
    expect(next.result).toBeUndefined();
  });

  it("19. Array.prototype tampering stays in the sandbox", async () => {
    const r = await run(
      "Array.prototype.push = function () { return 'hijacked' }; Array.prototype.hacked = 1; [].push(1)",
    );
    expect(r.result).toBe("hijacked");
    const host: number[] = [];
    expect(host.push(1)).toBe(1);
    expect((await run("[].push(1)")).result).toBe(1);
  });

  it("20. a __proto__ payload in the result cannot pollute host objects", async () => {
    const r = await run(`JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}')`);
    const merged = Object.assign({}, r.result as object) as Record<string, unknown>;
    expect(merged.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.result)).toBe(Object.prototype);
  });

  it("21. an own __proto__ property on the result is dropped", async () => {
    const r = await run(
      "const o = { a: 1 }; Object.defineProperty(o, '__proto__', { value: { polluted: 'yes' }, enumerable: true }); o",
    );
    expect(r.result).toEqual({ a: 1 });
    expect(Object.hasOwn(r.result as object, "__proto__")).toBe(false);
  });

  it("22. an endless loop is stopped, even inside try/catch", async () => {
    const error = await safetyError("try { while (true) {} } catch (e) { 'caught' }");
    expect(error.message).toMatch(/time limit/);
  });

  it("23. an endless async loop is stopped", async () => {
    const error = await safetyError("(async () => { while (true) await null })()");
    expect(error.message).toMatch(/time limit/);
  });

  it("24. a flood of promise jobs is stopped", async () => {
    const error = await safetyError("function again() { Promise.resolve().then(again) } again(); 'done'");
    expect(error.message).toMatch(/time limit/);
  });

  it("25. an array memory bomb hits the memory limit", async () => {
    const error = await safetyError("const hoard = []; while (true) hoard.push(new Array(100000).fill(1.5))", roomy);
    expect(error.message).toContain("32 MiB memory limit");
    expect((await run("1 + 1")).result).toBe(2);
  });

  it("26. typed arrays, which QuickJS's own limit does not count, hit the memory cap even when the error is caught", async () => {
    const error = await safetyError(
      "const hoard = []; for (;;) { try { hoard.push(new Float64Array(1 << 20)) } catch (e) { break } } hoard.length",
      roomy,
    );
    expect(error.message).toContain("memory limit");
    expect((await run("2 + 2")).result).toBe(4);
  });

  it("26b. long strings hit the memory cap", async () => {
    const error = await safetyError("const parts = []; for (;;) parts.push('x'.repeat(1 << 20) + parts.length)", roomy);
    expect(error.message).toContain("memory limit");
  });

  it("27. a string-doubling bomb fails inside the sandbox", async () => {
    let failed = false;
    try {
      const r = await roomy.execute(
        { code: "let s = 'x'; const keep = []; while (true) { s = s + s; keep.push(s.slice(1) + '!') }" },
        ctx(),
      );
      failed = /out of memory|string too long/.test(r.error ?? "");
    } catch (error) {
      failed = error instanceof ToolSafetyError;
    }
    expect(failed).toBe(true);
    expect((await roomy.execute({ code: "'ok'" }, ctx())).result).toBe("ok");
  });

  it("28. deep recursion hits the stack limit", async () => {
    const error = await safetyError("function down(n) { return down(n + 1) + 1 } down(0)");
    expect(error.message).toContain("stack limit");
  });

  it("29. deeply nested data cannot overflow the host stack", async () => {
    // Native recursion in JSON.stringify: stopped by the stack or, on a large thread stack, the clock.
    const error = await safetyError("let x = []; for (let i = 0; i < 100000; i++) x = [x]; JSON.stringify(x).length");
    expect(error.message).toMatch(/stack limit|time limit/);
    expect((await run("'still working'")).result).toBe("still working");
  });

  it("30. huge console output is cut at the output limit", async () => {
    const r = await run("for (let i = 0; i < 20000; i++) console.log('line ' + i + ' ' + 'x'.repeat(100)); 'finished'");
    expect(r.result).toBe("finished");
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stdout.length).toBeLessThanOrEqual(10_000);
    expect(r.stdout.startsWith("line 0 ")).toBe(true);
  });

  it("31. one enormous console line is cut too", async () => {
    const r = await run("console.log('y'.repeat(5e6)); 1");
    expect(r.stdout.length).toBeLessThanOrEqual(10_000);
    expect(r.stdoutTruncated).toBe(true);
  });

  it("32. a Proxy result whose traps loop is stopped", async () => {
    const error = await safetyError("new Proxy({}, { ownKeys() { for (;;) {} } })");
    expect(error.message).toMatch(/time limit/);
  });

  it("33. a Proxy result whose traps throw yields an error, not a crash", async () => {
    const r = await run("new Proxy({}, { ownKeys() { throw new Error('trap') } })");
    expect(r.error).toContain("Error: trap");
  });

  it("34. symbol-keyed hooks such as util.inspect.custom never run in the host", async () => {
    const r = await run(
      "({ [Symbol.for('nodejs.util.inspect.custom')]: () => { throw 1 }, [Symbol.toPrimitive]: () => 1, plain: 1 })",
    );
    expect(r.result).toEqual({ plain: 1 });
  });

  it("35. Date and Math.random work and replacing them changes only the sandbox", async () => {
    const r = await run(
      "const t = Date.now(); const x = Math.random(); Math.random = () => 4; Date.now = () => 0; [typeof t, x >= 0 && x < 1, Math.random()]",
    );
    expect(r.result).toEqual(["number", true, 4]);
    expect(Math.random()).toBeLessThan(1);
  });

  it("36. Error.prepareStackTrace in the sandbox does not touch the host", async () => {
    const r = await run(
      "Error.prepareStackTrace = () => 'owned'; Error.captureStackTrace = 1; typeof Error.prepareStackTrace",
    );
    expect(r.result).toBe("function");
  });

  it("37. a cyclic result is rendered with a marker", async () => {
    const r = await run("const a = { name: 'a' }; a.self = a; a.list = [a]; a");
    expect(r.result).toEqual({ name: "a", self: "[Circular]", list: ["[Circular]"] });
  });

  it("38. a function result is described, never called", async () => {
    const r = await run(`function evil() { ${writeCanary} } evil`);
    expect(r.result).toBe("[Function evil]");
  });

  it("39. a huge string result is cut at the result limit", async () => {
    const r = await run("'z'.repeat(2e6)");
    expect(r.resultTruncated).toBe(true);
    expect((r.result as string).length).toBe(10_000);
  });

  it("40. an error whose getters throw is reported without crashing", async () => {
    const r = await run(
      "const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw new Error('getter') } }); throw e",
    );
    expect(r.error).toBe("Uncaught exception (it could not be described)");
  });

  it("41. a thrown non-error with a looping getter is stopped", async () => {
    const error = await safetyError("throw { get name() { for (;;) {} } }");
    expect(error.message).toMatch(/time limit/);
  });

  it("42. a result with a looping toJSON is stopped", async () => {
    const error = await safetyError("({ toJSON() { for (;;) {} } })");
    expect(error.message).toMatch(/time limit/);
  });

  it("43. a poisoned Object.prototype.toJSON does not break the host's serialisation", async () => {
    const r = await run("Object.prototype.toJSON = function () { return 'owned' }; ({ a: 1 })");
    expect(r.result).toBe("owned");
    expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
  });

  it("44. a thenable result is not resolved through host code", async () => {
    const r = await run(`({ then(resolve) { ${writeCanary}; resolve(1) } })`);
    // The host receives data only: the method arrives as a description, not as something awaitable.
    expect(Object.entries(r.result as object)).toEqual([["then", "[Function then]"]]);
  });

  it("45. globals do not leak into the next run", async () => {
    await run("globalThis.leaked = 42; var alsoLeaked = 1; console.log = null");
    const r = await run("[typeof leaked, typeof alsoLeaked, typeof console.log]");
    expect(r.result).toEqual(["undefined", "undefined", "function"]);
  });

  it("46. an over-long script is refused before it runs", async () => {
    const error = await safetyError(`${"1;".repeat(60_000)}`);
    expect(error.message).toContain("limit of 100000");
  });

  it("47. a script that starves the interrupt handler is stopped by terminating its worker", async () => {
    // Every call overflows the stack and is caught again: the interpreter rarely checks the clock.
    const error = await safetyError("function f() { try { return f() } catch (e) { return f() } } f()");
    expect(error.message).toMatch(/time limit/);
    expect((await run("'alive'")).result).toBe("alive");
  });

  it("48. a caller's abort stops a running script", async () => {
    const controller = new AbortController();
    const slow = codeTool({ timeLimitMs: 30_000 });
    const pending = slow.execute({ code: "for (;;) {}" }, { toolCallId: "t", abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(pending).rejects.toMatchObject({ code: "aborted" });
    expect((await slow.execute({ code: "6 * 7" }, ctx())).result).toBe(42);
  });

  it("49. parallel runs stay isolated", async () => {
    const results = await Promise.all([
      run("globalThis.who = 'a'; who"),
      run("typeof who"),
      run("globalThis.who = 'c'; who"),
    ]);
    expect(results.map((r: CodeToolResult) => r.result)).toEqual(["a", "undefined", "c"]);
  });
});
