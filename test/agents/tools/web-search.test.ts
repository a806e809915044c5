import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { braveSearchProvider } from "../../../src/agents/tools/search-providers/brave.js";
import { searxngSearchProvider } from "../../../src/agents/tools/search-providers/searxng.js";
import { tavilySearchProvider } from "../../../src/agents/tools/search-providers/tavily.js";
import { searchProviderFromEnv, webSearchTool } from "../../../src/agents/tools/web-search.js";
import {
  APICallError,
  AuthenticationError,
  InvalidArgumentError,
  InvalidResponseError,
  RateLimitError,
  ToolSafetyError,
} from "../../../src/spec/errors.js";

const allow = { allowPrivateNetwork: ["127.0.0.1/32"] };
const context = () => ({ toolCallId: "call-1", abortSignal: new AbortController().signal });

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}
const seen: Seen[] = [];

// One loopback server speaking three APIs under different prefixes. The queries "boom", "slow down"
// and "locked" make each API fail the way the real one does.
const searxngBody = (q: string) => ({
  query: q,
  number_of_results: 0,
  results: [
    {
      url: "https://en.wikipedia.org/wiki/Tardigrade",
      title: "Tardigrade - Wikipedia",
      content: "Tardigrades, known as water bears or moss piglets, are eight-legged micro-animals &amp; extremophiles.",
      engine: "wikipedia",
      engines: ["wikipedia", "duckduckgo"],
      positions: [1, 2],
      score: 4.5,
      category: "general",
      parsed_url: ["https", "en.wikipedia.org", "/wiki/Tardigrade", "", "", ""],
    },
    { title: "An infobox-only entry without a URL", content: "skipped", engine: "wikidata", score: 1 },
    {
      url: "https://www.nature.com/articles/tardigrade-dsup",
      title: "Tardigrade protein <em>Dsup</em> protects DNA",
      content: "A damage suppressor protein shields DNA from X-rays.",
      engine: "bing",
      score: 2.1,
      category: "general",
    },
    { url: "https://example.org/third", title: "Third", content: "third result", engine: "brave", score: 1.2 },
  ],
  answers: [],
  corrections: [],
  infoboxes: [],
  suggestions: ["tardigrade space"],
  unresponsive_engines: [["qwant", "timeout"]],
});

const braveBody = (q: string) => ({
  type: "search",
  query: { original: q, show_strict_warning: false, is_navigational: false, spellcheck_off: true, country: "us" },
  mixed: { type: "mixed", main: [{ type: "web", index: 0, all: false }] },
  web: {
    type: "search",
    family_friendly: true,
    results: [
      {
        title: "The <strong>Hubble</strong> Space Telescope",
        url: "https://science.nasa.gov/mission/hubble/",
        is_source_local: false,
        is_source_both: false,
        description:
          "Launched in 1990, <strong>Hubble</strong> has made more than 1.6 million observations &#8212; and counting.",
        profile: { name: "NASA", url: "https://science.nasa.gov", long_name: "science.nasa.gov" },
        language: "en",
        family_friendly: true,
        type: "search_result",
        subtype: "generic",
        meta_url: {
          scheme: "https",
          netloc: "science.nasa.gov",
          hostname: "science.nasa.gov",
          path: "› mission › hubble",
        },
        age: "March 3, 2024",
      },
      {
        title: "Hubble Space Telescope - Wikipedia",
        url: "https://en.wikipedia.org/wiki/Hubble_Space_Telescope",
        description: "The Hubble Space Telescope is a space telescope that was launched into low Earth orbit in 1990.",
        type: "search_result",
      },
    ],
  },
});

const tavilyBody = (q: string) => ({
  query: q,
  follow_up_questions: null,
  answer: null,
  images: [],
  results: [
    {
      title: "Rust 1.80 release notes",
      url: "https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html",
      content: "Rust 1.80 stabilises LazyCell and LazyLock, exclusive ranges in patterns, and more.",
      score: 0.91,
      raw_content: null,
    },
    {
      title: "LazyLock in std::sync",
      url: "https://doc.rust-lang.org/std/sync/struct.LazyLock.html",
      content: "A value which is initialized on the first access.",
      score: 0.77,
      raw_content: null,
    },
  ],
  response_time: 1.21,
});

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      seen.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(value));
      };
      const q = url.searchParams.get("q") ?? (body ? (JSON.parse(body).query as string) : "");
      if (q === "boom") return json(500, { error: "internal error" });
      if (q === "slow down") return json(429, { error: "rate limited" }, { "retry-after": "7" });
      if (url.pathname === "/searx/search" && req.method === "GET") {
        if (url.searchParams.get("format") !== "json") return json(403, {});
        if (q === "locked") {
          res.writeHead(403, { "content-type": "text/html" }).end("<h1>403 Forbidden</h1>");
          return;
        }
        return json(200, searxngBody(q));
      }
      if (url.pathname === "/brave/res/v1/web/search") {
        if (req.headers["x-subscription-token"] !== "brave-test-key") {
          return json(401, {
            type: "ErrorResponse",
            error: {
              id: "c2f1",
              status: 401,
              code: "SUBSCRIPTION_TOKEN_INVALID",
              detail: "The provided subscription token is invalid.",
            },
            time: 1718000000,
          });
        }
        if (q === "nothing") return json(200, { type: "search", query: { original: q } });
        return json(200, braveBody(q));
      }
      if (url.pathname === "/tavily/search" && req.method === "POST") {
        if (req.headers.authorization !== "Bearer tvly-test-key")
          return json(401, { detail: { error: "Unauthorized: missing or invalid API key." } });
        return json(200, tavilyBody(q));
      }
      json(404, { error: "not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen.length = 0;
});

describe("SearXNG", () => {
  const provider = () => searxngSearchProvider({ baseUrl: `${origin}/searx`, policy: allow });

  it("asks the JSON API and normalises results, skipping entries without a URL", async () => {
    const results = await provider().search({ query: "water bears", k: 5 });
    expect(seen[0]?.path).toBe("/searx/search");
    expect(seen[0]?.query.get("format")).toBe("json");
    expect(seen[0]?.query.get("q")).toBe("water bears");
    expect(results).toEqual([
      {
        title: "Tardigrade - Wikipedia",
        url: "https://en.wikipedia.org/wiki/Tardigrade",
        snippet: "Tardigrades, known as water bears or moss piglets, are eight-legged micro-animals & extremophiles.",
      },
      {
        title: "Tardigrade protein Dsup protects DNA",
        url: "https://www.nature.com/articles/tardigrade-dsup",
        snippet: "A damage suppressor protein shields DNA from X-rays.",
      },
      { title: "Third", url: "https://example.org/third", snippet: "third result" },
    ]);
  });

  it("caps results at k", async () => {
    expect(await provider().search({ query: "tardigrade", k: 2 })).toHaveLength(2);
  });

  it("explains a 403 as the JSON format being disabled", async () => {
    const attempt = provider().search({ query: "locked", k: 3 });
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow(/search\.formats/);
  });

  it("reads the instance URL from WEFT_SEARXNG_URL and names it when missing", async () => {
    const fromEnv = searxngSearchProvider({ env: { WEFT_SEARXNG_URL: `${origin}/searx` }, policy: allow });
    expect(await fromEnv.search({ query: "x", k: 1 })).toHaveLength(1);
    expect(() => searxngSearchProvider({ env: {} })).toThrow(/WEFT_SEARXNG_URL/);
  });
});

describe("Brave Search", () => {
  const provider = (apiKey = "brave-test-key") =>
    braveSearchProvider({ apiKey, baseUrl: `${origin}/brave`, policy: allow });

  it("sends the key and count, strips HTML from titles and descriptions", async () => {
    const results = await provider().search({ query: "hubble", k: 1 });
    expect(seen[0]?.headers["x-subscription-token"]).toBe("brave-test-key");
    expect(seen[0]?.query.get("count")).toBe("1");
    expect(results).toEqual([
      {
        title: "The Hubble Space Telescope",
        url: "https://science.nasa.gov/mission/hubble/",
        snippet: "Launched in 1990, Hubble has made more than 1.6 million observations — and counting.",
      },
    ]);
  });

  it("returns no results when the answer has no web section", async () => {
    expect(await provider().search({ query: "nothing", k: 5 })).toEqual([]);
  });

  it("reports a rejected key as an authentication error naming BRAVE_API_KEY", async () => {
    const attempt = provider("wrong").search({ query: "hubble", k: 3 });
    await expect(attempt).rejects.toBeInstanceOf(AuthenticationError);
    await expect(attempt).rejects.toThrow(/HTTP 401.*BRAVE_API_KEY/);
  });

  it("reports 429 with the server's Retry-After", async () => {
    const error = await provider()
      .search({ query: "slow down", k: 3 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect((error as RateLimitError).retryable).toBe(true);
  });

  it("reports 500 as a retryable API error", async () => {
    const error = await provider()
      .search({ query: "boom", k: 3 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APICallError);
    expect((error as APICallError).status).toBe(500);
    expect((error as APICallError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/Brave Search answered HTTP 500/);
  });

  it("names BRAVE_API_KEY when no key is configured", () => {
    expect(() => braveSearchProvider({ env: {} })).toThrow(InvalidArgumentError);
    expect(() => braveSearchProvider({ env: {} })).toThrow(/BRAVE_API_KEY/);
  });
});

describe("Tavily", () => {
  const provider = (apiKey = "tvly-test-key") =>
    tavilySearchProvider({ apiKey, baseUrl: `${origin}/tavily`, policy: allow, searchDepth: "advanced" });

  it("posts the query as JSON with a bearer token", async () => {
    const results = await provider().search({ query: "rust lazylock", k: 4 });
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.headers.authorization).toBe("Bearer tvly-test-key");
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
      query: "rust lazylock",
      max_results: 4,
      search_depth: "advanced",
      topic: "general",
    });
    expect(results.map((r) => r.url)).toEqual([
      "https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html",
      "https://doc.rust-lang.org/std/sync/struct.LazyLock.html",
    ]);
    expect(results[1]?.snippet).toBe("A value which is initialized on the first access.");
  });

  it("reports a rejected key naming TAVILY_API_KEY, and a missing one too", async () => {
    await expect(provider("tvly-wrong").search({ query: "x", k: 1 })).rejects.toThrow(/TAVILY_API_KEY/);
    expect(() => tavilySearchProvider({ env: {} })).toThrow(/TAVILY_API_KEY/);
  });

  it("reports 500 and 429", async () => {
    await expect(provider().search({ query: "boom", k: 1 })).rejects.toBeInstanceOf(APICallError);
    await expect(provider().search({ query: "slow down", k: 1 })).rejects.toBeInstanceOf(RateLimitError);
  });
});

describe("web_search tool", () => {
  it("uses the provider with the default k or the model's k", async () => {
    const search = webSearchTool({
      provider: searxngSearchProvider({ baseUrl: `${origin}/searx`, policy: allow }),
      k: 1,
    });
    expect(search.name).toBe("web_search");
    expect(search.sideEffect).toBe(false);
    expect(await search.execute({ query: "tardigrade" }, context())).toHaveLength(1);
    expect(await search.execute({ query: "tardigrade", k: 3 }, context())).toHaveLength(3);
    expect(search.inputSchema.safeParse({ query: "" }).success).toBe(false);
  });

  it("caps what a custom provider returns at k", async () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ title: `t${i}`, url: `https://e.org/${i}`, snippet: "" }));
    const search = webSearchTool({ provider: { name: "fixed", search: async () => many } });
    expect(await search.execute({ query: "x", k: 4 }, context())).toHaveLength(4);
  });

  it("keeps the default network policy for providers: a loopback base URL is refused", async () => {
    const provider = braveSearchProvider({ apiKey: "brave-test-key", baseUrl: `${origin}/brave` });
    await expect(provider.search({ query: "hubble", k: 1 })).rejects.toBeInstanceOf(ToolSafetyError);
    expect(seen).toEqual([]);
  });

  it("picks the provider configured in the environment, naming every option when none is", () => {
    expect(searchProviderFromEnv({ BRAVE_API_KEY: "k" }).name).toBe("brave");
    expect(searchProviderFromEnv({ TAVILY_API_KEY: "k" }).name).toBe("tavily");
    expect(searchProviderFromEnv({ WEFT_SEARXNG_URL: "https://s.example", TAVILY_API_KEY: "k" }).name).toBe("searxng");
    expect(() => searchProviderFromEnv({})).toThrow(/WEFT_SEARXNG_URL.*BRAVE_API_KEY.*TAVILY_API_KEY/);
  });
});
