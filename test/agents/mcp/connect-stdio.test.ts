import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMcpServer, type McpConnection } from "../../../src/agents/mcp/connect.js";
import type { AnyTool } from "../../../src/agents/tool.js";
import { toolDefinition } from "../../../src/agents/tool.js";
import { AbortError, McpError, TimeoutError, ToolExecutionError } from "../../../src/spec/errors.js";
import { stdioFixture } from "./fixture-servers.js";

/** `${NAME}`: weft's syntax for an environment variable in config values. */
const ref = (name: string) => `\${${name}}`;

const ctx = (signal = new AbortController().signal) => ({ toolCallId: "call-1", abortSignal: signal });

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function byName(tools: AnyTool[], name: string): AnyTool {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name} in ${tools.map((t) => t.name).join(", ")}`);
  return found;
}

describe("connectMcpServer over stdio (official SDK server)", () => {
  let connection: McpConnection;
  let tools: AnyTool[];

  beforeAll(async () => {
    connection = await connectMcpServer(stdioFixture("fixture"), { timeoutMs: 10_000 });
    tools = await connection.tools();
  });
  afterAll(async () => {
    await connection.close();
  });

  it("lists the server's tools as weft tools with the schema exactly as announced", async () => {
    expect(connection.serverInfo).toEqual({ name: "fixture", version: "1.2.3" });
    const announced = await connection.listTools();
    expect(tools.map((t) => t.name)).toEqual(announced.map((t) => t.name.replace(".", "_")));
    expect(tools.map((t) => t.name)).toContain("files_read");
    for (const info of announced) {
      const t = byName(tools, info.name.replace(".", "_"));
      expect(t.description).toBe(info.description);
      expect(toolDefinition(t).inputSchema).toEqual(info.inputSchema);
    }
    expect(byName(tools, "add").jsonSchema).toMatchObject({
      type: "object",
      properties: { a: { type: "integer" }, b: { type: "integer" } },
      required: ["a", "b"],
    });
  });

  it("takes sideEffect from the annotations: read-only hints are safe, no hint means side effects", () => {
    expect(byName(tools, "add").sideEffect).toBe(false);
    expect(byName(tools, "weather").sideEffect).toBe(false);
    expect(byName(tools, "delete_file").sideEffect).toBe(true);
    expect(byName(tools, "fail").sideEffect).toBe(true);
  });

  it("calls tools: text, structured content, mixed content and a sanitised name", async () => {
    expect(await byName(tools, "add").execute({ a: 2, b: 40 }, ctx())).toBe("42");
    expect(await byName(tools, "weather").execute({ city: "Oslo", unit: "F" }, ctx())).toEqual({
      city: "Oslo",
      temperature: 70,
      unit: "F",
    });
    expect(await byName(tools, "files_read").execute({ path: "a.txt" }, ctx())).toBe("contents of a.txt");
    const snapshot = (await byName(tools, "snapshot").execute({}, ctx())) as Array<Record<string, unknown>>;
    expect(snapshot).toEqual([
      { type: "text", text: "Here is the chart." },
      { type: "image", description: expect.stringMatching(/^\[image image\/png, \d+ bytes, not shown\]$/) },
      { type: "resource", uri: "file:///notes.txt", mimeType: "text/plain", text: "a note" },
      { type: "resource_link", uri: "file:///big.csv", name: "big.csv", mimeType: "text/csv" },
    ]);
  });

  it("rejects invalid arguments with the zod schema, before anything reaches the server", async () => {
    const add = byName(tools, "add");
    const weather = byName(tools, "weather");
    const before = await byName(tools, "calls").execute({}, ctx());
    expect(add.inputSchema.safeParse({ a: 1, b: 2 }).success).toBe(true);
    expect(add.inputSchema.safeParse({ a: "1", b: 2 }).success).toBe(false);
    expect(add.inputSchema.safeParse({ a: 1 }).success).toBe(false);
    expect(add.inputSchema.safeParse({ a: 1.5, b: 2 }).success).toBe(false);
    expect(add.inputSchema.safeParse("1 + 2").success).toBe(false);
    expect(weather.inputSchema.safeParse({ city: "Oslo", unit: "K" }).success).toBe(false);
    expect(weather.inputSchema.safeParse({ city: "" }).success).toBe(false);
    expect(await byName(tools, "calls").execute({}, ctx())).toEqual(before);
    // The server agrees: the same bad arguments sent anyway come back as a tool error.
    await expect(add.execute({ a: "1", b: 2 }, ctx())).rejects.toThrow(ToolExecutionError);
  });

  it("turns an isError result into a ToolExecutionError carrying the server's text", async () => {
    const error = await byName(tools, "fail")
      .execute({ reason: "quota exceeded for today" }, ctx())
      .catch((e: unknown) => e);
    expect(ToolExecutionError.isInstance(error)).toBe(true);
    expect((error as ToolExecutionError).message).toBe("quota exceeded for today");
    expect((error as ToolExecutionError).tool).toBe("fail");
  });

  it("passes the abort signal through and stays usable afterwards", async () => {
    const controller = new AbortController();
    const pending = byName(tools, "slow").execute({ ms: 20_000 }, ctx(controller.signal));
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(AbortError);
    expect(await byName(tools, "add").execute({ a: 1, b: 1 }, ctx())).toBe("2");
  });

  it("starts servers with a minimal environment plus the configured env, expanding variable references", async () => {
    process.env.WEFT_MCP_TEST_SECRET = "do-not-leak";
    const withEnv = await connectMcpServer(
      { ...stdioFixture("env"), env: { GREETING: `hello ${ref("WHO")}` } },
      { env: { WHO: "world" } },
    );
    try {
      const env = byName(await withEnv.tools(), "env");
      expect(await env.execute({ name: "GREETING" }, ctx())).toBe("hello world");
      expect(await env.execute({ name: "WEFT_MCP_TEST_SECRET" }, ctx())).toBe("");
      expect(await env.execute({ name: "PATH" }, ctx())).not.toBe("");
    } finally {
      delete process.env.WEFT_MCP_TEST_SECRET;
      await withEnv.close();
    }
  });
});

describe("connectMcpServer failures name the server and the fix", () => {
  it("a timeout on a slow call is a TimeoutError", async () => {
    const connection = await connectMcpServer(stdioFixture("slowpoke"), { timeoutMs: 100 });
    try {
      const slow = byName(await connection.tools(), "slow");
      const error = await slow.execute({ ms: 20_000 }, ctx()).catch((e: unknown) => e);
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/The MCP tool 'slow' on server 'slowpoke' timed out after 100 ms/);
    } finally {
      await connection.close();
    }
  });

  it("a server that crashes at start", async () => {
    const error = await connectMcpServer(stdioFixture("files", "--crash-at-start")).catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as McpError).server).toBe("files");
    expect((error as Error).message).toBe(
      "MCP server 'files' exited during startup (code 1): config error: FIXTURE_TOKEN is not set. Check its command in weft.config.json.",
    );
  });

  it("a command that does not exist", async () => {
    const error = await connectMcpServer({ name: "ghost", command: "weft-no-such-mcp-server" }).catch(
      (e: unknown) => e,
    );
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^MCP server 'ghost' could not be started: 'weft-no-such-mcp-server' was not found \(ENOENT\)\. Check its command in weft\.config\.json/,
    );
  });

  it("a program that never speaks MCP, which is stopped", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), "weft-mcp-")), "mute.pid");
    const error = await connectMcpServer(stdioFixture("mute", "--never-answer", "--pid-file", pidFile), {
      // Long enough for the process to start and write its pid even on a busy machine.
      startupTimeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^MCP server 'mute' did not finish the MCP handshake within 3 s\./);
    // The process ignores the end of its stdin; it is gone by the time the error arrives.
    expect(isRunning(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("a line of noise on stdout does not break the session", async () => {
    const connection = await connectMcpServer(stdioFixture("noisy", "--noise-on-stdout"));
    try {
      expect(await byName(await connection.tools(), "add").execute({ a: 3, b: 4 }, ctx())).toBe("7");
    } finally {
      await connection.close();
    }
  });

  it("a server that exits in the middle of a call, and calls after that", async () => {
    const connection = await connectMcpServer(stdioFixture("fragile"));
    try {
      const tools = await connection.tools();
      const error = await byName(tools, "crash")
        .execute({}, ctx())
        .catch((e: unknown) => e);
      expect(McpError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^MCP server 'fragile' exited while running 'crash' \(code 3\): fatal: the disk is on fire\./,
      );
      const after = await byName(tools, "add")
        .execute({ a: 1, b: 2 }, ctx())
        .catch((e: unknown) => e);
      expect(McpError.isInstance(after)).toBe(true);
      expect((after as Error).message).toMatch(/MCP server 'fragile' exited/);
    } finally {
      await connection.close();
    }
  });

  it("an env value naming an unset variable", async () => {
    const error = await connectMcpServer(
      { ...stdioFixture("keys"), env: { TOKEN: ref("NO_SUCH_TOKEN") } },
      { env: {} },
    ).catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^MCP server 'keys': env value 'TOKEN' uses \$\{NO_SUCH_TOKEN\}, which is not set/,
    );
  });

  it("a cwd that does not exist (not mistaken for a missing command)", async () => {
    const error = await connectMcpServer({ ...stdioFixture("lost"), cwd: "no/such/folder" }, { cwd: "/tmp" }).catch(
      (e: unknown) => e,
    );
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `MCP server 'lost': its cwd /tmp/no/such/folder does not exist. Fix "cwd" in weft.config.json.`,
    );
  });
});
