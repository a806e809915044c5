import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knownToolNames } from "../../src/agents/tools/tool-names.js";
import { openStore } from "../../src/store/index.js";
import {
  type FakeOpenAIServer,
  type FakeRequest,
  startFakeOpenAIServer,
} from "../../src/testing/fake-openai-server.js";
import { noLocalServers, repoRoot, runWeft, STACK_LINE, tempDir } from "./run-weft.js";

const KEY = "sk-test-agent-key";
const MODEL = ["--model", "openai:gpt-4o-mini"];
let server: FakeOpenAIServer;
let env: Record<string, string>;

/** A loopback server that records what http_post sends it. */
let target: Server;
let targetUrl: string;
const received: Array<{ method: string; body: string }> = [];

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
  env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, ...(await noLocalServers()) };
  target = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ method: req.method ?? "", body });
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ created: true, echo: JSON.parse(body || "null") }));
    });
  });
  await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/orders`;
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((r) => target.close(() => r()));
});

/** The model requests the CLI sent during one run (the fake server records all of them). */
function requestsSince(before: number): FakeRequest[] {
  return server.requests.slice(before).filter((r) => r.path === "/v1/chat/completions");
}

/** The `tool` messages of a request, by tool_call_id. */
function toolMessages(request: FakeRequest | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of request?.body.messages ?? []) if (m.role === "tool") out[m.tool_call_id] = m.content;
  return out;
}

const toolNamesSent = (request: FakeRequest | undefined) =>
  (request?.body.tools ?? []).map((t: { function: { name: string } }) => t.function.name);

describe("weft agent with native tool calls", () => {
  it("runs the calculator, sends its exact result back, and prints the answer on stdout and the steps on stderr", async () => {
    const before = server.requests.length;
    server.enqueue(
      { toolCalls: [{ id: "call_calc", name: "calculator", arguments: { expression: "2^64 + 1" } }] },
      { text: "2^64 + 1 is 18446744073709551617." },
    );
    const r = await runWeft(["agent", "What is 2^64 + 1?", ...MODEL], { env });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("2^64 + 1 is 18446744073709551617.\n");
    expect(r.stderr).toContain('→ calculator {"expression":"2^64 + 1"}');
    expect(r.stderr).toMatch(/← calculator: .*"result":"18446744073709551617"/);
    expect(r.stderr).toMatch(/1 tool call · 2 model calls · \d+ in \/ \d+ out · \$/);
    // Not a terminal: no colour codes.
    expect(r.stderr).not.toContain("\x1b[");

    const [first, second] = requestsSince(before);
    expect(first?.body.messages).toEqual([{ role: "user", content: "What is 2^64 + 1?" }]);
    expect(toolNamesSent(first)).toEqual(["calculator", "code"]);
    const result = JSON.parse(toolMessages(second).call_calc ?? "null");
    expect(result).toMatchObject({ expression: "2^64 + 1", result: "18446744073709551617", type: "BigNumber" });
  });

  it("--json prints answer, steps with isError, usage, cost and finishReason; the code tool runs sandboxed", async () => {
    server.enqueue(
      {
        toolCalls: [
          { id: "a", name: "code", arguments: { code: "const xs = [3, 1, 2]; console.log(xs.length); xs.sort()" } },
          { id: "b", name: "code", arguments: { code: "typeof require + ' ' + typeof process; process.exit(1)" } },
          { id: "c", name: "calculator", arguments: { expression: "" } },
        ],
      },
      { text: "Sorted: 1, 2, 3." },
    );
    const r = await runWeft(["agent", "Sort 3 1 2", ...MODEL, "--json"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["answer", "costUsd", "finishReason", "steps", "usage"]);
    expect(out.answer).toBe("Sorted: 1, 2, 3.");
    expect(out.finishReason).toBe("answer");
    expect(out.steps).toHaveLength(3);
    for (const step of out.steps) expect(Object.keys(step).sort()).toEqual(["input", "isError", "output", "tool"]);
    expect(out.steps[0]).toEqual({
      tool: "code",
      input: { code: "const xs = [3, 1, 2]; console.log(xs.length); xs.sort()" },
      output: { result: [1, 2, 3], stdout: "3\n" },
      isError: false,
    });
    // The sandbox has no process: the script's exception comes back as data, not as a crash.
    expect(out.steps[1].isError).toBe(false);
    expect(out.steps[1].output.error).toMatch(/process/);
    // An empty expression fails the tool's schema; the model is told what to fix.
    expect(out.steps[2]).toMatchObject({ tool: "calculator", isError: true });
    expect(out.steps[2].output).toMatch(/invalid arguments for calculator:\n- expression: /);
    expect(out.usage.inputTokens).toBeGreaterThan(0);
    expect(out.usage.outputTokens).toBeGreaterThan(0);
    // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens.
    expect(out.costUsd).toBeCloseTo((out.usage.inputTokens * 0.15 + out.usage.outputTokens * 0.6) / 1e6, 12);
  });

  it("reads files inside --workspace and returns a traversal attempt to the model as an error result", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "notes"));
    writeFileSync(join(cwd, "notes", "budget.txt"), "telescope 1200\nmount 450\n");
    writeFileSync(join(cwd, "secret.txt"), "do not read");
    const before = server.requests.length;
    server.enqueue(
      {
        toolCalls: [
          { id: "ok", name: "files", arguments: { operation: "read", path: "budget.txt" } },
          { id: "up", name: "files", arguments: { operation: "read", path: "../secret.txt" } },
          { id: "abs", name: "files", arguments: { operation: "read", path: join(cwd, "secret.txt") } },
        ],
      },
      { text: "The budget is 1650." },
    );
    const r = await runWeft(
      ["agent", "Add up the budget", ...MODEL, "--tools", "files", "--workspace", "notes", "--json"],
      {
        cwd,
        env,
      },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.steps.map((s: { isError: boolean }) => s.isError)).toEqual([false, true, true]);
    expect(out.steps[0].output).toMatchObject({ operation: "read", content: "telescope 1200\nmount 450\n" });
    const sent = toolMessages(requestsSince(before)[1]);
    expect(sent.up).toMatch(/^Error: files: refused '\.\.\/secret\.txt': .*outside the workspace/);
    expect(sent.abs).toMatch(/^Error: files: refused /);
    expect(JSON.stringify(out)).not.toContain("do not read");
  });

  it("refuses http_post without a terminal unless --yes is given, then posts to an allowed loopback host", async () => {
    received.length = 0;
    const post = { toolCalls: [{ id: "p", name: "http_post", arguments: { url: targetUrl, body: { item: "lens" } } }] };
    server.enqueue(post, { text: "I could not place the order." });
    const refused = await runWeft(
      ["agent", "Order a lens", ...MODEL, "--tools", "http", "--allow-private", "127.0.0.1/32", "--json"],
      { env },
    );
    expect(refused.code).toBe(0);
    expect(received).toEqual([]);
    const denied = JSON.parse(refused.stdout).steps[0];
    expect(denied).toMatchObject({ tool: "http_post", isError: true });
    expect(denied.output).toMatch(/needs the user's approval/);
    expect(refused.stderr).toMatch(/http_post was not run: .*pass --yes/);

    server.enqueue(post, { text: "Ordered." });
    const allowed = await runWeft(
      ["agent", "Order a lens", ...MODEL, "--tools", "http", "--allow-private", "127.0.0.1/32", "--yes", "--json"],
      { env },
    );
    expect(allowed.code).toBe(0);
    expect(received).toEqual([{ method: "POST", body: '{"item":"lens"}' }]);
    const step = JSON.parse(allowed.stdout).steps[0];
    expect(step).toMatchObject({ tool: "http_post", isError: false, output: { status: 201, body: { created: true } } });

    // --yes approves the call, but the network policy still refuses loopback without --allow-private.
    server.enqueue(post, { text: "Blocked." });
    const blocked = await runWeft(["agent", "Order a lens", ...MODEL, "--tools", "http", "--yes", "--json"], { env });
    expect(blocked.code).toBe(0);
    expect(received).toHaveLength(1);
    expect(JSON.parse(blocked.stdout).steps[0].output).toMatch(/Refused .*loopback/);
  });

  it("queries a SQLite file with --db; a write is refused and goes back to the model", async () => {
    const cwd = tempDir();
    const db = new Database(join(cwd, "shop.sqlite"));
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT, qty INTEGER)");
    db.prepare("INSERT INTO orders (item, qty) VALUES (?, ?)").run("lens", 3);
    db.prepare("INSERT INTO orders (item, qty) VALUES (?, ?)").run("tripod", 5);
    db.prepare("INSERT INTO orders (item, qty) VALUES (?, ?)").run("lens", 2);
    db.close();
    const before = server.requests.length;
    server.enqueue(
      {
        toolCalls: [
          {
            id: "q",
            name: "sql",
            arguments: { sql: "SELECT item, SUM(qty) AS total FROM orders GROUP BY item ORDER BY item" },
          },
          { id: "w", name: "sql", arguments: { sql: "DELETE FROM orders" } },
        ],
      },
      { text: "lens 5, tripod 5." },
    );
    const r = await runWeft(["agent", "Units per item?", ...MODEL, "--tools", "sql", "--db", "shop.sqlite", "--json"], {
      cwd,
      env,
    });
    expect(r.code).toBe(0);
    const [first, second] = requestsSince(before);
    // The schema travels in the tool's description.
    const sqlTool = first?.body.tools.find((t: { function: { name: string } }) => t.function.name === "sql");
    expect(sqlTool.function.description).toMatch(/orders/);
    expect(JSON.parse(toolMessages(second).q ?? "null")).toEqual({
      columns: ["item", "total"],
      rows: [
        ["lens", 5],
        ["tripod", 5],
      ],
      truncated: false,
    });
    expect(toolMessages(second).w).toMatch(/^Error: .*DELETE/);
    const check = new Database(join(cwd, "shop.sqlite"), { readonly: true });
    expect(check.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 3 });
    check.close();
  });

  it("searches documents indexed with weft index through docs_search", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "docs"));
    cpSync(join(repoRoot, "examples/corpus/visiting-hours.txt"), join(cwd, "docs/visiting-hours.txt"));
    cpSync(join(repoRoot, "examples/corpus/telescopes.md"), join(cwd, "docs/telescopes.md"));
    const indexed = await runWeft(["index", "docs"], { cwd, env });
    expect(indexed.code).toBe(0);
    const before = server.requests.length;
    server.enqueue(
      { toolCalls: [{ id: "d", name: "docs_search", arguments: { query: "visiting hours", k: 1 } }] },
      { text: "See visiting-hours.txt." },
    );
    const r = await runWeft(["agent", "When can I visit?", ...MODEL, "--tools", "docs_search", "--json"], { cwd, env });
    expect(r.code).toBe(0);
    const hits = JSON.parse(toolMessages(requestsSince(before)[1]).d ?? "[]");
    expect(hits).toHaveLength(1);
    expect(hits[0].source).toMatch(/visiting-hours\.txt$/);
  });
});

describe("weft agent sessions, limits and protocols", () => {
  it("--session continues the conversation in a later run, with the same system prompt and model, and keeps it in the store", async () => {
    const cwd = tempDir();
    server.enqueue(
      { toolCalls: [{ id: "m", name: "calculator", arguments: { expression: "6 * 7" } }] },
      { text: "6 times 7 is 42." },
    );
    // Not the model auto-detection would pick, so the second run shows the session remembered it.
    const firstArgs = ["agent", "What is 6 times 7?", "--model", "openai:gpt-4o", "--session", "maths"];
    const first = await runWeft([...firstArgs, "--system", "Be brief."], { cwd, env });
    expect(first.code).toBe(0);

    const before = server.requests.length;
    server.enqueue({ text: "Half of 42 is 21." });
    const second = await runWeft(["agent", "And half of that?", "--session", "maths"], { cwd, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("Half of 42 is 21.\n");
    const sent = requestsSince(before)[0];
    expect(sent?.body.model).toBe("gpt-4o");
    const messages = sent?.body.messages.map((m: { role: string; content: unknown; tool_calls?: unknown }) => ({
      role: m.role,
      content: m.content,
      ...(m.tool_calls ? { calls: (m.tool_calls as Array<{ function: { name: string } }>).length } : {}),
    }));
    expect(messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "What is 6 times 7?" },
      { role: "assistant", content: null, calls: 1 },
      { role: "tool", content: expect.stringContaining('"result":"42"') },
      { role: "assistant", content: "6 times 7 is 42." },
      { role: "user", content: "And half of that?" },
    ]);

    const store = await openStore({ path: join(cwd, ".weft", "weft.db") });
    try {
      const saved = await store.sessions.messages("maths");
      expect(saved.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "user", "assistant"]);
      expect(saved.at(-1)).toEqual({ role: "assistant", content: "Half of 42 is 21." });
      expect((await store.sessions.get("maths"))?.metadata).toMatchObject({
        system: "Be brief.",
        model: "openai:gpt-4o",
      });
    } finally {
      await store.close();
    }
  });

  it("--max-steps 1: one more call without tools asks for the answer; no answer at all exits 1", async () => {
    const before = server.requests.length;
    const again = { toolCalls: [{ name: "calculator", arguments: { expression: "1 + 1" } }] };
    server.enqueue(again, { text: "So far: 1 + 1 = 2; the rest is unknown." });
    const r = await runWeft(["agent", "Keep adding", ...MODEL, "--max-steps", "1"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("So far: 1 + 1 = 2; the rest is unknown.\n");
    expect(r.stderr).toMatch(/stopped at the step limit \(raise --max-steps\)/);
    const last = requestsSince(before)[1];
    expect(last?.body.tool_choice).toBe("none");
    expect(last?.body.messages.at(-1)).toMatchObject({ role: "user", content: expect.stringMatching(/Answer now/) });

    // A model that ignores tool_choice "none" and calls a tool again leaves no answer.
    server.enqueue(again, again);
    const none = await runWeft(["agent", "Keep adding", ...MODEL, "--max-steps", "1", "--json"], { env });
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ answer: "", finishReason: "step-limit" });
    expect(none.stderr).toMatch(/^error: The agent reached the step limit \(1\) without an answer\. Raise --max-steps/);
    expect(none.stderr).not.toMatch(STACK_LINE);
  });

  it("--time-limit stops a slow model and says so", async () => {
    server.enqueue({ text: "too late", delayMs: 20_000 });
    const r = await runWeft(["agent", "Hurry", ...MODEL, "--time-limit", "0.5"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stopped at the time limit/);
    expect(r.stderr).toMatch(/error: The agent ran out of time before answering\. Raise --time-limit/);
  });

  it("--protocol react drives a tool-capable model through the text protocol", async () => {
    const before = server.requests.length;
    server.enqueue(
      { text: 'Thought: I should compute.\nAction: calculator\nAction Input: {"expression": "sqrt(1764)"}' },
      { text: "Thought: I know it.\nFinal Answer: 42" },
    );
    const r = await runWeft(["agent", "Square root of 1764?", ...MODEL, "--protocol", "react", "--json"], { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.answer).toBe("42");
    expect(out.steps[0]).toMatchObject({ tool: "calculator", isError: false, output: { result: "42" } });
    const [first, second] = requestsSince(before);
    expect(first?.body.tools).toBeUndefined();
    expect(first?.body.messages[0].content).toMatch(/Action: the tool to use, one of \[calculator, code\]/);
    expect(second?.body.messages.at(-1).content).toMatch(/^Observation: .*"result":"42"/);
  });

  it("--tools none offers no tools; a task on stdin works like an argument", async () => {
    const before = server.requests.length;
    server.enqueue({ text: "Paris." });
    const r = await runWeft(["agent", ...MODEL, "--tools", "none"], { env, input: "Capital of France?\n" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Paris.\n");
    const sent = requestsSince(before)[0];
    expect(sent?.body.tools).toBeUndefined();
    expect(sent?.body.messages).toEqual([{ role: "user", content: "Capital of France?" }]);
  });
});

describe("weft agent usage errors", () => {
  it("an unknown tool is a one-line usage error listing the known tools, before any model call", async () => {
    const before = server.requests.length;
    const r = await runWeft(["agent", "hi", ...MODEL, "--tools", "calculator,shell"], { env });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: Unknown tool 'shell' in --tools\. Known tools: /);
    for (const name of knownToolNames()) expect(lines[0]).toContain(name);
    expect(server.requests.length).toBe(before);
  });

  it("no task, a bad number, sql without data and data without sql are usage errors", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["agent", ...MODEL], /No task given/],
      [["agent", "hi", "--max-steps", "0"], /--max-steps must be an integer >= 1/],
      [["agent", "hi", "--protocol", "telepathy"], /--protocol must be one of auto, native, react/],
      [["agent", "hi", "--tools", "sql"], /The sql tool needs data: pass --file/],
      [["agent", "hi", "--db", "shop.sqlite"], /--db is data for the sql tool; add sql to --tools/],
      [["agent", "hi", "--mcp", "nowhere"], /No MCP server named 'nowhere'/],
    ];
    for (const [args, message] of cases) {
      const r = await runWeft(args, { env });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });

  it("--help documents every tool name and the options", async () => {
    const r = await runWeft(["agent", "--help"], { env });
    expect(r.code).toBe(0);
    for (const name of knownToolNames()) expect(r.stdout).toMatch(new RegExp(`\\b${name}\\b`));
    for (const option of ["--tools", "--session", "--yes", "--json", "--max-steps", "--workspace", "--allow-private"]) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout).toMatch(/Tools \(default: calculator,code\)/);
  });
});
