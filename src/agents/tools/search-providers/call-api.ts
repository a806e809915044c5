/**
 * One JSON call to a search API under the network policy, with HTTP failures turned into weft's
 * error classes (401/403 → AuthenticationError naming the env var, 429 → RateLimitError, others
 * → APICallError) so the model and the user see what to fix.
 */
import { APICallError, AuthenticationError, InvalidResponseError, RateLimitError } from "../../../spec/errors.js";
import type { NetPolicy } from "../net-policy.js";
import { requestWithPolicy } from "../ssrf-request.js";
import type { WebSearchResult } from "../web-search.js";

export interface ApiCall {
  /** Provider name used in messages, e.g. "Brave Search". */
  provider: string;
  /** The environment variable holding the key or URL, named in authentication errors. */
  envVar?: string;
  /** Tool name used in policy errors. */
  tool: string;
  url: string | URL;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  json?: unknown;
  policy?: NetPolicy;
  abortSignal?: AbortSignal;
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Sends the request and returns the parsed JSON body; throws the matching weft error otherwise.
 *
 * @example
 * const data = await callJsonApi({ provider: "SearXNG", tool: "web_search", url: "http://127.0.0.1:8888/search?q=x&format=json" });
 */
export async function callJsonApi(call: ApiCall): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json", ...call.headers };
  if (call.json !== undefined) headers["content-type"] = "application/json";
  const response = await requestWithPolicy(
    {
      url: call.url,
      method: call.method ?? "GET",
      headers,
      body: call.json === undefined ? undefined : JSON.stringify(call.json),
      abortSignal: call.abortSignal,
      tool: call.tool,
    },
    // Search answers are small; a larger default would only waste memory on a misbehaving server.
    { maxResponseBytes: 2_000_000, ...call.policy },
  );
  const text = response.bytes.toString("utf8");
  const { status } = response;
  if (status === 401 || status === 403) {
    throw new AuthenticationError({ provider: call.provider, status, envVar: call.envVar });
  }
  if (status === 429) {
    throw new RateLimitError({ provider: call.provider, retryAfterMs: retryAfterMs(response.headers["retry-after"]) });
  }
  if (status < 200 || status >= 300) {
    throw new APICallError({
      provider: call.provider,
      status,
      message: `${call.provider} answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}.${status >= 500 ? " The service is failing; try again later." : ""}`,
      responseBody: text.slice(0, 2000),
      retryable: status >= 500 || status === 408,
    });
  }
  if (response.truncated) {
    throw new InvalidResponseError({
      provider: call.provider,
      detail: "the response exceeded maxResponseBytes",
      retryable: false,
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidResponseError({
      provider: call.provider,
      detail: `the body is not JSON (${text.slice(0, 80)})`,
      cause,
    });
  }
}

/** Text of an HTML snippet: tags removed, entities decoded, whitespace collapsed, at most `max` characters. */
export async function plainText(html: unknown, max = 500): Promise<string> {
  if (typeof html !== "string" || html === "") return "";
  const { parse } = await import("node-html-parser");
  const text = parse(html).text.replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `{ title, url, snippet }` for the first `k` items that have a URL; `snippetField` names the
 * provider's snippet property (`content`, `description`...). Titles and snippets lose their HTML.
 */
export async function normaliseResults(items: unknown[], k: number, snippetField: string): Promise<WebSearchResult[]> {
  const out: WebSearchResult[] = [];
  for (const item of items) {
    if (out.length >= k) break;
    const r = item as Record<string, unknown>;
    if (typeof r?.url !== "string" || !/^https?:\/\//i.test(r.url)) continue;
    out.push({
      title: await plainText(typeof r.title === "string" && r.title ? r.title : r.url, 200),
      url: r.url,
      snippet: await plainText(r[snippetField]),
    });
  }
  return out;
}
