import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnyTool, toolDefinition } from "../../../src/agents/tool.js";
import { knownToolNames, resolveToolNames, type ToolNameContext } from "../../../src/agents/tools/tool-names.js";
import { InvalidArgumentError } from "../../../src/spec/errors.js";
import type { Store } from "../../../src/spec/store.js";
import { tempStore } from "../../memory/helpers.js";

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
let store: Store;
let dir: string;
const closers: Array<() => Promise<void>> = [];

/** A context with everything every tool can need: a store, a workspace, a SQLite file, a search provider. */
function fullContext(): ToolNameContext {
  return {
    store: async () => store,
    workspace: dir,
    data: { db: "shop.sqlite", cwd: dir },
    // Resolving a provider reads settings only; nothing is contacted.
    env: { WEFT_SEARXNG_URL: "http://127.0.0.1:9" },
    onClose: (close) => closers.push(close),
  };
}

beforeAll(async () => {
  store = await tempStore();
  dir = mkdtempSync(join(tmpdir(), "weft-tool-names-"));
  const db = new Database(join(dir, "shop.sqlite"));
  db.exec("CREATE TABLE stock (item TEXT, qty INTEGER); INSERT INTO stock VALUES ('lens', 4)");
  db.close();
});
afterAll(async () => {
  for (const close of closers) await close();
  await store.close();
});

describe("resolveToolNames", () => {
  it("knows the built-in tools and the http group, sorted", () => {
    const names = knownToolNames();
    expect(names).toEqual([...names].sort());
    for (const name of ["calculator", "code", "files", "http", "http_get", "http_post", "sql", "docs_search"]) {
      expect(names).toContain(name);
    }
    expect(names).toContain("web_search");
    expect(names).toContain("wikipedia");
  });

  it("turns every known name into tools with valid names and JSON Schemas", async () => {
    const ajv = new Ajv2020({ strict: false });
    for (const name of knownToolNames()) {
      const tools = await resolveToolNames([name], fullContext());
      expect(tools.length, name).toBeGreaterThan(0);
      for (const t of tools) {
        expect(t.name).toMatch(TOOL_NAME);
        if (name !== "http") expect(t.name).toBe(name);
        expect(t.description.length).toBeGreaterThan(20);
        const definition = toolDefinition(t);
        expect(definition.name).toBe(t.name);
        expect(definition.inputSchema).toMatchObject({ type: "object" });
        expect(Object.keys((definition.inputSchema as { properties: object }).properties).length).toBeGreaterThan(0);
        // The schema the model sees must compile as JSON Schema.
        expect(() => ajv.compile(definition.inputSchema as object), t.name).not.toThrow();
      }
    }
  });

  it("marks only http_post as having side effects", async () => {
    const all = await resolveToolNames(knownToolNames(), fullContext());
    expect(all.filter((t) => t.sideEffect).map((t) => t.name)).toEqual(["http_post"]);
  });

  it("expands groups, keeps the order asked for and makes each tool once", async () => {
    const names = (tools: AnyTool[]) => tools.map((t) => t.name);
    expect(names(await resolveToolNames(["http"]))).toEqual(["http_get", "http_post"]);
    expect(names(await resolveToolNames(["code", " calculator ", "", "code"]))).toEqual(["code", "calculator"]);
    expect(names(await resolveToolNames(["http_post", "http", "calculator"]))).toEqual([
      "http_post",
      "http_get",
      "calculator",
    ]);
    expect(await resolveToolNames([])).toEqual([]);
  });

  it("gives the sql tool the data and a cleanup for it", async () => {
    const before = closers.length;
    const [sql] = await resolveToolNames(["sql"], fullContext());
    expect(closers.length).toBe(before + 1);
    expect(sql?.description).toMatch(/stock/);
    const out = await sql?.execute(
      { sql: "SELECT qty FROM stock WHERE item = 'lens'" },
      { toolCallId: "1", abortSignal: new AbortController().signal },
    );
    expect(out).toMatchObject({ rows: [[4]] });
  });

  it("names the unknown tool and lists the known ones", async () => {
    const error = await resolveToolNames(["calculator", "shell"]).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(`Unknown tool 'shell'. Known tools: ${knownToolNames().join(", ")}.`);
  });

  it("says what is missing when a tool's context is not given", async () => {
    const cases: Array<[string, RegExp]> = [
      ["files", /'files' tool needs a workspace folder/],
      ["sql", /'sql' tool needs data to query/],
      ["docs_search", /'docs_search' tool needs the store/],
      ["web_search", /No web search provider is configured: set WEFT_SEARXNG_URL/],
    ];
    for (const [name, message] of cases) {
      const error = await resolveToolNames([name], { env: {} }).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error), name).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("passes the network policy on: a bad CIDR is refused when the tool is made", async () => {
    await expect(resolveToolNames(["http_get"], { net: { allowPrivateNetwork: ["not-a-cidr"] } })).rejects.toThrow(
      /'not-a-cidr' in allowPrivateNetwork is not an IP address or CIDR range/,
    );
  });

  it("lets web_search reach a SearXNG on loopback only when the policy opens that range", async () => {
    const searx = createServer((req, res) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams.get("q");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ results: [{ title: `About ${q}`, url: "https://example.org/a", content: "snippet" }] }));
    });
    await new Promise<void>((r) => searx.listen(0, "127.0.0.1", r));
    const env = { WEFT_SEARXNG_URL: `http://127.0.0.1:${(searx.address() as { port: number }).port}` };
    const ctx = { toolCallId: "1", abortSignal: new AbortController().signal };
    try {
      const [closed] = await resolveToolNames(["web_search"], { env });
      await expect(closed?.execute({ query: "comets" }, ctx)).rejects.toThrow(/loopback/);
      // The host allowlist is for the model's own requests; the configured instance is still reached.
      const [open] = await resolveToolNames(["web_search"], {
        env,
        net: { allowPrivateNetwork: ["127.0.0.1/32"], allowHosts: ["example.org"] },
      });
      expect(await open?.execute({ query: "comets" }, ctx)).toEqual([
        { title: "About comets", url: "https://example.org/a", snippet: "snippet" },
      ]);
    } finally {
      await new Promise<void>((r) => searx.close(() => r()));
    }
  });
});
