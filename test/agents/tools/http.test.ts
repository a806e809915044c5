import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toolDefinition } from "../../../src/agents/tool.js";
import { httpGetTool, httpPostTool, httpTools } from "../../../src/agents/tools/http.js";
import { AbortError, InvalidArgumentError, ToolExecutionError } from "../../../src/spec/errors.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let other: Server;
let base: string;
let otherBase: string;
const seen: Seen[] = [];
const allow = { allowPrivateNetwork: ["127.0.0.1/32"] };
const context = () => ({ toolCallId: "call-1", abortSignal: new AbortController().signal });

function route(req: IncomingMessage, res: ServerResponse, body: string) {
  const url = new URL(req.url ?? "/", "http://x");
  switch (url.pathname) {
    case "/json":
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", etag: '"v1"', "x-internal": "no" });
      res.end(JSON.stringify({ greeting: "hello", q: url.searchParams.getAll("q") }));
      return;
    case "/text":
      res.writeHead(200, { "content-type": "text/plain; charset=iso-8859-1" });
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
      return;
    case "/page":
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        "<html><head><title>Opening hours</title><script>track()</script></head><body><nav>Menu</nav><h1>Hours</h1><p>Open <b>9</b> to 5.</p></body></html>",
      );
      return;
    case "/image":
      res.writeHead(200, { "content-type": "image/png" });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      return;
    case "/compressed": {
      const json = Buffer.from(JSON.stringify({ packed: true, words: "lorem ipsum ".repeat(50).trim() }));
      const brotli = String(req.headers["accept-encoding"]).includes("br");
      res.writeHead(200, { "content-type": "application/json", "content-encoding": brotli ? "br" : "deflate" });
      res.end(brotli ? brotliCompressSync(json) : deflateSync(json));
      return;
    }
    case "/broken-json":
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
      return;
    case "/echo":
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, contentType: req.headers["content-type"] ?? null, body }));
      return;
    case "/see-other":
      res.writeHead(303, { location: "/json" }).end();
      return;
    case "/to-other-origin":
      res.writeHead(307, { location: `${otherBase}/echo` }).end();
      return;
    case "/slow":
      return; // never answers
    default:
      res.writeHead(404, { "content-type": "text/plain" }).end("no such page");
  }
}

function start(host: string, port = 0): Promise<Server> {
  const s = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      route(req, res, body);
    });
  });
  return new Promise((resolve) => s.listen(port, host, () => resolve(s)));
}

beforeAll(async () => {
  server = await start("127.0.0.1");
  other = await start("127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of [server, other]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

beforeEach(() => {
  seen.length = 0;
});

describe("http_get", () => {
  it("parses JSON, adds query parameters and shows selected headers only", async () => {
    const out = await httpGetTool(allow).execute({ url: `${base}/json?q=a`, query: { q: ["b", 3] } }, context());
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ greeting: "hello", q: ["a", "b", "3"] });
    expect(out.headers.etag).toBe('"v1"');
    expect(out.headers["x-internal"]).toBeUndefined();
    expect(out.truncated).toBe(false);
    expect(seen[0]?.headers["user-agent"]).toMatch(/^weft\//);
  });

  it("decodes text with its charset", async () => {
    const out = await httpGetTool(allow).execute({ url: `${base}/text` }, context());
    expect(out.body).toBe("café");
  });

  it("returns the readable text of HTML, or the markup when asked", async () => {
    const text = await httpGetTool(allow).execute({ url: `${base}/page` }, context());
    expect(text.body).toContain("Open 9 to 5.");
    expect(text.body).toContain("Opening hours");
    expect(text.body).not.toContain("track()");
    expect(text.body).not.toContain("Menu");
    const raw = await httpGetTool({ ...allow, html: "raw" }).execute({ url: `${base}/page` }, context());
    expect(raw.body).toContain("<h1>Hours</h1>");
  });

  it("summarises binary content instead of returning it", async () => {
    const out = await httpGetTool(allow).execute({ url: `${base}/image` }, context());
    expect(out.body).toBe("[binary content: image/png, 8 bytes; not shown]");
  });

  it("decompresses brotli responses", async () => {
    const out = await httpGetTool(allow).execute({ url: `${base}/compressed` }, context());
    expect(seen[0]?.headers["accept-encoding"]).toBe("gzip, deflate, br");
    expect(out.body).toMatchObject({ packed: true });
  });

  it("returns JSON that does not parse as text", async () => {
    const out = await httpGetTool(allow).execute({ url: `${base}/broken-json` }, context());
    expect(out.body).toBe("{not json");
  });

  it("returns error statuses as results the model can read", async () => {
    const out = await httpGetTool(allow).execute({ url: `${base}/missing` }, context());
    expect(out).toMatchObject({ status: 404, body: "no such page" });
  });

  it("follows a redirect and reports the final URL", async () => {
    const out = await httpGetTool(allow).execute({ url: `${base}/see-other` }, context());
    expect(out.url).toBe(`${base}/json`);
    expect(seen.map((s) => s.url)).toEqual(["/see-other", "/json"]);
  });

  it("reports a refused connection as a retryable execution error", async () => {
    const closed = await start("127.0.0.1");
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const attempt = httpGetTool(allow).execute({ url: `http://127.0.0.1:${port}/` }, context());
    await expect(attempt).rejects.toBeInstanceOf(ToolExecutionError);
    await expect(attempt).rejects.toThrow(/ECONNREFUSED/);
  });

  it("times out with a clear error", async () => {
    const attempt = httpGetTool({ ...allow, timeoutMs: 150 }).execute({ url: `${base}/slow` }, context());
    await expect(attempt).rejects.toThrow(/timed out after 150 ms/);
  });

  it("counts a DNS lookup that never answers against the time limit", async () => {
    const resolve = () => new Promise<never>(() => {});
    const attempt = httpGetTool({ resolve, timeoutMs: 100 }).execute({ url: "http://hanging.test/" }, context());
    await expect(attempt).rejects.toThrow(/timed out after 100 ms/);
  });

  it("stops when the agent aborts", async () => {
    const controller = new AbortController();
    const attempt = httpGetTool(allow).execute(
      { url: `${base}/slow` },
      { toolCallId: "c", abortSignal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(attempt).rejects.toBeInstanceOf(AbortError);
  });

  it("rejects a URL that is not absolute", async () => {
    await expect(httpGetTool().execute({ url: "/relative" }, context())).rejects.toThrow(/not an absolute URL/);
  });
});

describe("http_post", () => {
  it("sends an object body as JSON", async () => {
    const out = await httpPostTool(allow).execute({ url: `${base}/echo`, body: { name: "Ada" } }, context());
    expect(out.status).toBe(201);
    expect(out.body).toEqual({ method: "POST", contentType: "application/json", body: '{"name":"Ada"}' });
  });

  it("sends a string body as text unless a content type is given", async () => {
    const plain = await httpPostTool(allow).execute({ url: `${base}/echo`, body: "hi" }, context());
    expect(plain.body).toMatchObject({ contentType: "text/plain; charset=utf-8", body: "hi" });
    const csv = await httpPostTool(allow).execute(
      { url: `${base}/echo`, body: "a,b", headers: { "Content-Type": "text/csv" } },
      context(),
    );
    expect(csv.body).toMatchObject({ contentType: "text/csv", body: "a,b" });
  });

  it("keeps fixed headers over the model's and drops credentials on a cross-origin redirect", async () => {
    const post = httpPostTool({ ...allow, allowHosts: ["127.0.0.1"], headers: { Authorization: "Bearer s3cret" } });
    const out = await post.execute(
      { url: `${base}/to-other-origin`, body: { n: 1 }, headers: { authorization: "Bearer model" } },
      context(),
    );
    expect(out.body).toEqual({ method: "POST", contentType: "application/json", body: '{"n":1}' });
    expect(seen[0]?.headers.authorization).toBe("Bearer s3cret");
    expect(seen[1]?.headers.authorization).toBeUndefined();
  });
});

describe("tool shape and options", () => {
  it("flags only POST as a side effect", () => {
    const [get, post] = httpTools();
    expect([get.name, get.sideEffect, post.name, post.sideEffect]).toEqual(["http_get", false, "http_post", true]);
    const schema = toolDefinition(post).inputSchema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual(["body", "headers", "query", "url"]);
    expect(schema.required).toEqual(["url"]);
  });

  it("validates the model's arguments with the input schema", () => {
    const get = httpGetTool();
    expect(get.inputSchema.safeParse({ url: "https://example.com", query: { a: 1 } }).success).toBe(true);
    expect(get.inputSchema.safeParse({ query: { a: 1 } }).success).toBe(false);
    expect(get.inputSchema.safeParse({ url: "https://example.com", headers: { a: 1 } }).success).toBe(false);
  });

  it("refuses credentials in fixed headers without an allow list", () => {
    expect(() => httpGetTool({ headers: { Authorization: "Bearer x" } })).toThrow(InvalidArgumentError);
    expect(() => httpGetTool({ headers: { "User-Agent": "my-agent/1.0" } })).not.toThrow();
  });

  it("rejects a bad policy when the tool is made", () => {
    expect(() => httpGetTool({ allowPrivateNetwork: ["not-an-ip"] })).toThrow(InvalidArgumentError);
    expect(() => httpGetTool({ maxRedirects: -1 })).toThrow(/non-negative integer/);
  });
});

function selfSignedCert(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "weft-tls-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=secure.test"].concat([
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ]),
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = selfSignedCert();
if (!tls) console.warn("[http.test] skipping the HTTPS test: the openssl command is not available.");

describe.skipIf(!tls)("https", () => {
  it("connects to the validated address, sends the host name as SNI and verifies the certificate", async () => {
    const names: string[] = [];
    const secure = createHttpsServer({
      ...tls,
      SNICallback: (name, done) => {
        names.push(name);
        done(null);
      },
    });
    secure.on("request", (_req, res) => res.end("secret over tls"));
    await new Promise<void>((resolve) => secure.listen(0, "127.0.0.2", () => resolve()));
    const port = (secure.address() as AddressInfo).port;
    try {
      const resolve = async () => [{ address: "127.0.0.2", family: 4 as const }];
      const get = httpGetTool({ resolve, allowPrivateNetwork: ["127.0.0.2/32"] });
      const attempt = get.execute({ url: `https://secure.test:${port}/` }, context());
      await expect(attempt).rejects.toBeInstanceOf(ToolExecutionError);
      await expect(attempt).rejects.toThrow(/SELF_SIGNED/);
      expect(names[0]).toBe("secure.test");
    } finally {
      secure.closeAllConnections();
      await new Promise((r) => secure.close(r));
    }
  });
});
