import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { wikipediaTool } from "../../../src/agents/tools/wikipedia.js";
import { APICallError, InvalidArgumentError, RateLimitError, ToolSafetyError } from "../../../src/spec/errors.js";

const allow = { allowPrivateNetwork: ["127.0.0.1/32"] };
const context = () => ({ toolCallId: "call-1", abortSignal: new AbortController().signal });

const EINSTEIN =
  "Albert Einstein (14 March 1879 – 18 April 1955) was a German-born theoretical physicist who is best known for developing the theory of relativity. Einstein also made important contributions to quantum mechanics.";

// Pages come back in page-id order; `index` carries the search rank, as in the real API.
const searchAnswer = {
  batchcomplete: true,
  continue: { gsroffset: 3, continue: "gsroffset||" },
  query: {
    pages: [
      {
        pageid: 736,
        ns: 0,
        title: "Albert Einstein",
        index: 1,
        extract: EINSTEIN,
        contentmodel: "wikitext",
        pagelanguage: "en",
        pagelanguagehtmlcode: "en",
        pagelanguagedir: "ltr",
        touched: "2024-06-01T10:00:00Z",
        lastrevid: 1226543210,
        length: 201392,
        fullurl: "https://en.wikipedia.org/wiki/Albert_Einstein",
        editurl: "https://en.wikipedia.org/w/index.php?title=Albert_Einstein&action=edit",
        canonicalurl: "https://en.wikipedia.org/wiki/Albert_Einstein",
      },
      {
        pageid: 2305,
        ns: 0,
        title: "Einstein family",
        index: 3,
        extract: "The Einstein family is the family of physicist Albert Einstein.",
        contentmodel: "wikitext",
        pagelanguage: "en",
        touched: "2024-05-20T08:00:00Z",
        lastrevid: 1220000000,
        length: 30412,
      },
      {
        pageid: 52917,
        ns: 0,
        title: "Einstein field equations",
        index: 2,
        extract:
          "In the general theory of relativity, the Einstein field equations relate the geometry of spacetime to the distribution of matter within it.",
        contentmodel: "wikitext",
        pagelanguage: "en",
        fullurl: "https://en.wikipedia.org/wiki/Einstein_field_equations",
      },
    ],
  },
};

interface Seen {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
}
const seen: Seen[] = [];
let server: Server;
let site: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(value));
    };
    const q = url.searchParams.get("gsrsearch");
    if (url.pathname !== "/w/api.php") return json(404, {});
    if (q === "einstein") return json(200, searchAnswer);
    if (q === "qwxzv") return json(200, { batchcomplete: true });
    if (q === "bad") {
      return json(200, {
        error: {
          code: "badvalue",
          info: 'Unrecognized value for parameter "gsrnamespace": x.',
          docref: "See /w/api.php.",
        },
        servedby: "mw-api-ext.eqiad.main-1",
      });
    }
    if (q === "busy") {
      res.writeHead(429, { "retry-after": "2", "content-type": "text/plain" }).end("Too many requests");
      return;
    }
    res.writeHead(503, { "content-type": "text/html" }).end("<h1>Service Unavailable</h1>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen.length = 0;
});

describe("wikipedia", () => {
  it("searches with the Action API and returns plain-text introductions in rank order", async () => {
    const wiki = wikipediaTool({ baseUrl: site, policy: allow });
    const articles = await wiki.execute({ query: "einstein" }, context());
    expect(seen[0]?.path).toBe("/w/api.php");
    const q = seen[0]?.query;
    expect(
      Object.fromEntries(
        ["action", "generator", "gsrsearch", "gsrlimit", "prop", "explaintext", "exintro", "format"].map((k) => [
          k,
          q?.get(k),
        ]),
      ),
    ).toEqual({
      action: "query",
      generator: "search",
      gsrsearch: "einstein",
      gsrlimit: "3",
      prop: "extracts|info",
      explaintext: "1",
      exintro: "1",
      format: "json",
    });
    expect(articles.map((a) => a.title)).toEqual(["Albert Einstein", "Einstein field equations", "Einstein family"]);
    expect(articles[0]).toEqual({
      title: "Albert Einstein",
      url: "https://en.wikipedia.org/wiki/Albert_Einstein",
      extract: EINSTEIN,
    });
    expect(articles[2]?.url).toBe(`${site}/wiki/Einstein_family`);
  });

  it("sends a descriptive User-Agent, the default or the caller's", async () => {
    await wikipediaTool({ baseUrl: site, policy: allow }).execute({ query: "einstein" }, context());
    await wikipediaTool({ baseUrl: site, policy: allow, userAgent: "nursery-bot/2.0 (ops@nursery.example)" }).execute(
      { query: "einstein" },
      context(),
    );
    expect(seen[0]?.headers["user-agent"]).toMatch(/^weft\/\d+\.\d+\.\d+ \(wikipedia tool\)$/);
    expect(seen[1]?.headers["user-agent"]).toBe("nursery-bot/2.0 (ops@nursery.example)");
  });

  it("honours k and cuts long introductions at maxChars", async () => {
    const wiki = wikipediaTool({ baseUrl: site, policy: allow, maxChars: 40 });
    const articles = await wiki.execute({ query: "einstein", k: 2 }, context());
    expect(seen[0]?.query.get("gsrlimit")).toBe("2");
    expect(articles).toHaveLength(2);
    expect(articles[0]?.extract).toBe(`${EINSTEIN.slice(0, 39)}…`);
  });

  it("returns an empty list when nothing matches", async () => {
    expect(await wikipediaTool({ baseUrl: site, policy: allow }).execute({ query: "qwxzv" }, context())).toEqual([]);
  });

  it("reports an API error object with its code and text", async () => {
    const attempt = wikipediaTool({ baseUrl: site, policy: allow }).execute({ query: "bad" }, context());
    await expect(attempt).rejects.toBeInstanceOf(APICallError);
    await expect(attempt).rejects.toThrow(/badvalue.*Unrecognized value/);
  });

  it("reports 429 and 503", async () => {
    const wiki = wikipediaTool({ baseUrl: site, policy: allow });
    await expect(wiki.execute({ query: "busy" }, context())).rejects.toBeInstanceOf(RateLimitError);
    const error = await wiki.execute({ query: "anything else" }, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APICallError);
    expect((error as APICallError).status).toBe(503);
    expect((error as APICallError).retryable).toBe(true);
  });

  it("builds the host from the language and refuses codes that are not languages", async () => {
    const resolve = async () => [{ address: "10.0.0.9", family: 4 as const }];
    const attempt = wikipediaTool({ language: "de", policy: { resolve } }).execute({ query: "Einstein" }, context());
    await expect(attempt).rejects.toBeInstanceOf(ToolSafetyError);
    await expect(attempt).rejects.toThrow(/https:\/\/de\.wikipedia\.org/);
    expect(() => wikipediaTool({ language: "en.evil.example#" })).toThrow(InvalidArgumentError);
    expect(() => wikipediaTool({ k: 50 })).toThrow(/from 1 to 10/);
  });

  it("is a read-only tool with a validated input", () => {
    const wiki = wikipediaTool();
    expect([wiki.name, wiki.sideEffect]).toEqual(["wikipedia", false]);
    expect(wiki.inputSchema.safeParse({ query: "x", k: 11 }).success).toBe(false);
  });
});
