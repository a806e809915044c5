import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/cli/version.js";
import { FIXTURE_SERVER } from "../agents/mcp/fixture-servers.js";
import { noLocalServers, repoRoot, runWeft, STACK_LINE, tempDir } from "./run-weft.js";

const bin = join(repoRoot, "bin", "weft.js");

type TextBlock = { type: string; text: string };
const textOf = (result: Record<string, unknown>) => ((result.content as TextBlock[])[0] as TextBlock).text;

let cwd: string;
let store: string;
let env: Record<string, string>;

beforeAll(async () => {
  cwd = tempDir("weft-cli-mcp-");
  cpSync(join(repoRoot, "examples/corpus"), join(cwd, "corpus"), { recursive: true });
  store = join(cwd, "weft.db");
  env = { HOME: cwd, ...(await noLocalServers()) };
  const indexed = await runWeft(["index", "corpus", "--store", store], { cwd, env });
  expect(indexed.code).toBe(0);
});

describe("weft mcp on stdio, driven by the official SDK client", () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: "sdk-test-client", version: "1.0.0" });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, "mcp", "--tools", "docs_search,calculator", "--store", store],
      cwd,
      env,
      stderr: "pipe",
    });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client.close();
  });

  it("initializes and lists the chosen tools with annotations", async () => {
    expect(client.getServerVersion()).toEqual({ name: "weft", version: VERSION });
    expect(client.getInstructions()).toMatch(/docs_search/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["docs_search", "calculator"]);
    const search = tools[0];
    expect(search?.annotations).toEqual({ readOnlyHint: true });
    expect(search?.inputSchema).toMatchObject({ type: "object", required: ["query"] });
  });

  it("answers docs_search from the indexed corpus", async () => {
    const result = await client.callTool({
      name: "docs_search",
      arguments: { query: "Wren main telescope mirror", k: 2 },
    });
    expect(result.isError).toBeFalsy();
    const hits = JSON.parse(textOf(result)) as Array<{ source: string; location: string; text: string }>;
    expect(hits).toHaveLength(2);
    expect(hits[0]?.source).toBe("corpus/telescopes.md");
    expect(hits[0]?.location).toMatch(/^corpus\/telescopes\.md:\d+-\d+$/);
    expect(hits[0]?.text).toContain("600 mm");
  });

  it("reports invalid arguments and failing tools as isError results", async () => {
    const invalid = await client.callTool({ name: "docs_search", arguments: { query: "" } });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/^Invalid arguments for 'docs_search': query: /);
    const failed = await client.callTool({ name: "calculator", arguments: { expression: "1 +" } });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toMatch(/could not evaluate '1 \+'/);
    const exact = await client.callTool({ name: "calculator", arguments: { expression: "2^64 + 1" } });
    expect(exact.structuredContent).toMatchObject({ result: "18446744073709551617" });
  });
});

/** Starts `weft mcp --http 0 ...` and reads the URL it prints. */
async function startHttp(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, "mcp", "--http", "0", ...args], { cwd, env, stdio: "pipe" });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (d) => {
      stderr += d;
      const m = /on (http:\/\/\S+\/mcp) /.exec(stderr);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`weft mcp exited (${code}): ${stderr}`)));
  });
  return { child, url };
}

describe("weft mcp --http", () => {
  it("serves Streamable HTTP on 127.0.0.1 until stopped", async () => {
    const { child, url } = await startHttp([
      "--tools",
      "calculator,docs_search,files",
      "--workspace",
      "corpus",
      "--store",
      store,
    ]);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const client = new Client({ name: "sdk-test-client", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["calculator", "docs_search", "files"]);
      const sum = await client.callTool({ name: "calculator", arguments: { expression: "0.1 + 0.2" } });
      expect(sum.structuredContent).toMatchObject({ result: "0.3" });
      const hits = await client.callTool({ name: "docs_search", arguments: { query: "red light torches", k: 1 } });
      expect(JSON.parse(textOf(hits))).toHaveLength(1);
      const error = await client.callTool({ name: "calculator", arguments: {} });
      expect(error.isError).toBe(true);
      // files reads inside --workspace only.
      const faq = await client.callTool({ name: "files", arguments: { operation: "read", path: "faq.md" } });
      expect(faq.isError).toBeFalsy();
      expect(JSON.stringify(faq.structuredContent)).toMatch(/FAQ|Frequently/i);
      const outside = await client.callTool({ name: "files", arguments: { operation: "read", path: "../weft.db" } });
      expect(outside.isError).toBe(true);
      await client.close();
    } finally {
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  });
});

describe("weft mcp --tools sql", () => {
  it("answers read-only SQL over a SQLite file and refuses writes", async () => {
    const db = join(cwd, "shop.sqlite");
    const sqlite = new Database(db);
    sqlite.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT, qty INTEGER)");
    sqlite.exec("INSERT INTO orders (item, qty) VALUES ('eyepiece', 2), ('tripod', 1), ('eyepiece', 3)");
    sqlite.close();
    const client = new Client({ name: "sdk-test-client", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [bin, "mcp", "--tools", "sql", "--db", db],
        cwd,
        env,
      }),
    );
    try {
      const [sql] = (await client.listTools()).tools;
      expect(sql?.name).toBe("sql");
      expect(sql?.description).toMatch(/orders/);
      const total = await client.callTool({
        name: "sql",
        arguments: { sql: "SELECT item, SUM(qty) AS units FROM orders GROUP BY item ORDER BY item" },
      });
      expect(total.structuredContent).toEqual({
        columns: ["item", "units"],
        rows: [
          ["eyepiece", 5],
          ["tripod", 1],
        ],
        truncated: false,
      });
      const write = await client.callTool({ name: "sql", arguments: { sql: "DELETE FROM orders" } });
      expect(write.isError).toBe(true);
    } finally {
      await client.close();
    }
    const check = new Database(db, { readonly: true });
    expect(check.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 3 });
    check.close();
  });
});

describe("weft mcp usage errors", () => {
  it("refuses --host without --http, a bad port and unknown tools, in one line", async () => {
    const host = await runWeft(["mcp", "--host", "0.0.0.0"], { cwd, env });
    expect(host.code).toBe(2);
    expect(host.stderr).toBe("error: --host only applies with --http <port>; stdio needs no address.\n");
    const port = await runWeft(["mcp", "--http", "70000"], { cwd, env });
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/^error: --http must be an integer >= 0 and <= 65535, got '70000'\.\n$/);
    const noData = await runWeft(["mcp", "--tools", "sql"], { cwd, env });
    expect(noData.code).toBe(2);
    expect(noData.stderr).toBe("error: The sql tool needs data: add --file <paths...> or --db <path-or-url>.\n");
    const unknown = await runWeft(["mcp", "--tools", "calculator,teleport", "--store", store], { cwd, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown tool 'teleport'\. Known tools: .*calculator.*docs_search/);
    expect(unknown.stderr).not.toMatch(STACK_LINE);
  });
});

describe("weft mcp list", () => {
  it("lists the tools of configured servers, and names a server that fails", async () => {
    const dir = tempDir("weft-cli-mcp-list-");
    const config = {
      mcpServers: {
        fixture: { command: process.execPath, args: [FIXTURE_SERVER] },
        broken: { command: process.execPath, args: [FIXTURE_SERVER, "--crash-at-start"] },
      },
    };
    writeFileSync(join(dir, "weft.config.json"), JSON.stringify(config));
    const r = await runWeft(["mcp", "list"], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^fixture \(\d+ tools\)\n/);
    expect(r.stdout).toMatch(/^ {2}add {2}Add two integers\.$/m);
    expect(r.stdout).toMatch(/^ {2}delete_file \[side effects\] {2}Delete a file/m);
    expect(r.stdout).toMatch(/^ {2}files_read \(files\.read\) {2}Read a file/m);
    expect(r.stderr).toBe(
      "error: MCP server 'broken' exited during startup (code 1): config error: FIXTURE_TOKEN is not set. Check its command in weft.config.json.\n",
    );

    writeFileSync(
      join(dir, "weft.config.json"),
      JSON.stringify({ mcpServers: { fixture: config.mcpServers.fixture } }),
    );
    const json = await runWeft(["mcp", "list", "--json"], { cwd: dir, env: { HOME: dir } });
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout);
    expect(rows[0].server).toBe("fixture");
    expect(rows[0].tools).toContainEqual({ name: "add", description: "Add two integers.", sideEffect: false });
  });
});
