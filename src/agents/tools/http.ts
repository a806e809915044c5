/**
 * `http_get` and `http_post`: let the model fetch URLs under a network policy. They are two tools
 * because one tool has one side-effect flag: GET only reads (no approval), POST may change the
 * world (approval first).
 */
import { z } from "zod";
import { InvalidArgumentError } from "../../spec/errors.js";
import { type Tool, tool } from "../tool.js";
import { type NetPolicy, resolveNetPolicy } from "./net-policy.js";
import { checkHeaders, type PolicyResponse, requestWithPolicy } from "./ssrf-request.js";

export interface HttpToolOptions extends NetPolicy {
  /**
   * Headers sent with every request (an API key, a User-Agent); the model cannot override them.
   * Anything beyond user-agent/accept/accept-language needs `allowHosts`, so credentials only go
   * to the hosts meant to receive them.
   */
  headers?: Record<string, string>;
  /** HTML responses: "text" (default) returns the readable text of the page, "raw" the markup. */
  html?: "text" | "raw";
}

export interface HttpToolOutput {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  /** A selection of response headers useful to the model. */
  headers: Record<string, string>;
  /** Parsed JSON, text, or a one-line summary for binary content. */
  body: unknown;
  /** Whether the body was cut off at `maxResponseBytes`. */
  truncated: boolean;
}

const SHOWN_HEADERS = [
  "content-type",
  "content-length",
  "content-language",
  "content-disposition",
  "last-modified",
  "etag",
  "cache-control",
  "date",
  "expires",
  "location",
  "retry-after",
  "link",
  "www-authenticate",
];
const HARMLESS_HEADERS = new Set(["user-agent", "accept", "accept-language"]);

const JSON_TYPE = /^(application\/([\w.-]+\+)?json|text\/json)\b/;
const HTML_TYPE = /^(text\/html|application\/xhtml\+xml)\b/;
const TEXT_TYPE =
  /^(text\/|application\/([\w.-]+\+)?(xml|javascript|ecmascript|x-www-form-urlencoded|x-ndjson|yaml|x-yaml|graphql|sql|csv|rtf)\b)/;

function decodeText(bytes: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function looksLikeText(bytes: Buffer): boolean {
  return !bytes.subarray(0, 2048).includes(0);
}

/**
 * Turns a response body into what the model sees: JSON parsed (unless cut off), text decoded with
 * its charset, HTML reduced to its readable text, and binary content summarised in one line.
 *
 * @example
 * await responseBody(await requestWithPolicy({ url }), { html: "text" });
 */
export async function responseBody(
  response: PolicyResponse,
  options: { html?: "text" | "raw" } = {},
): Promise<unknown> {
  const contentType = (response.headers["content-type"] ?? "").toLowerCase();
  const { bytes } = response;
  if (bytes.length === 0) return "";
  if (JSON_TYPE.test(contentType)) {
    const text = decodeText(bytes, contentType);
    if (response.truncated) return text;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (HTML_TYPE.test(contentType)) {
    const html = decodeText(bytes, contentType);
    if (options.html === "raw") return html;
    const { parseHtml } = await import("../../memory/loaders/html-loader.js");
    const page = parseHtml(html, { lineNumbers: false });
    const text = page.blocks.map((b) => b.text).join("\n\n");
    return page.title ? `${page.title}\n\n${text}` : text;
  }
  if (TEXT_TYPE.test(contentType) || (!contentType && looksLikeText(bytes))) return decodeText(bytes, contentType);
  const kind = contentType.split(";")[0] || "unknown type";
  return `[binary content: ${kind}, ${bytes.length} bytes${response.truncated ? " (cut off)" : ""}; not shown]`;
}

/** The headers from the `SHOWN_HEADERS` list that the response carries. */
export function shownHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SHOWN_HEADERS) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}

const queryValue = z.union([z.string(), z.number(), z.boolean()]);
const commonInput = {
  url: z.string().min(1).describe("Absolute http(s) URL to request"),
  query: z
    .record(z.string(), z.union([queryValue, z.array(queryValue)]))
    .optional()
    .describe("Query parameters added to the URL"),
  headers: z.record(z.string(), z.string()).optional().describe("Extra request headers"),
};

function withQuery(url: string, query: Record<string, unknown> | undefined): string {
  if (!query) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // requestWithPolicy reports the bad URL
  }
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) parsed.searchParams.append(key, String(v));
  }
  return parsed.href;
}

function prepare(options: HttpToolOptions, name: string) {
  resolveNetPolicy(options); // reject a bad policy when the tool is made, not when it is first called
  const fixed = checkHeaders(options.headers, name);
  const sensitive = Object.keys(fixed).filter((h) => !HARMLESS_HEADERS.has(h));
  if (sensitive.length > 0 && !options.allowHosts?.length) {
    throw new InvalidArgumentError({
      argument: "headers",
      message: `The fixed header(s) ${sensitive.join(", ")} would be sent to any host the model picks; set allowHosts to the hosts that should receive them.`,
    });
  }
  return fixed;
}

async function run(
  name: string,
  options: HttpToolOptions,
  fixed: Record<string, string>,
  input: { url: string; query?: Record<string, unknown>; headers?: Record<string, string>; body?: unknown },
  method: "GET" | "POST",
  abortSignal: AbortSignal,
): Promise<HttpToolOutput> {
  const headers = { ...checkHeaders(input.headers, name), ...fixed };
  let body: string | undefined;
  if (typeof input.body === "string") {
    body = input.body;
    headers["content-type"] ??= "text/plain; charset=utf-8";
  } else if (input.body !== undefined) {
    body = JSON.stringify(input.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await requestWithPolicy(
    { url: withQuery(input.url, input.query), method, headers, body, abortSignal, tool: name },
    options,
  );
  return {
    status: response.status,
    url: response.url,
    headers: shownHeaders(response.headers),
    body: await responseBody(response, options),
    truncated: response.truncated,
  };
}

type GetInput = { url: string; query?: Record<string, unknown>; headers?: Record<string, string> };
type PostInput = GetInput & { body?: unknown };

/**
 * `http_get`: fetch a public URL (or the hosts the policy allows). Read-only, so no approval.
 *
 * @example
 * const get = httpGetTool({ allowHosts: ["api.github.com"], maxResponseBytes: 200_000 });
 */
export function httpGetTool(options: HttpToolOptions = {}): Tool<GetInput, HttpToolOutput> {
  const fixed = prepare(options, "http_get");
  return tool({
    name: "http_get",
    description:
      "Fetch a URL with HTTP GET and return its status, main headers and body (JSON parsed, HTML as readable text). Only public hosts are reachable.",
    inputSchema: z.object(commonInput),
    execute: (input, { abortSignal }) => run("http_get", options, fixed, input, "GET", abortSignal),
  });
}

/**
 * `http_post`: send an HTTP POST (JSON when the body is an object). It can change things, so the
 * agent asks for approval first.
 *
 * @example
 * const post = httpPostTool({ allowHosts: ["hooks.example.com"] });
 */
export function httpPostTool(options: HttpToolOptions = {}): Tool<PostInput, HttpToolOutput> {
  const fixed = prepare(options, "http_post");
  return tool({
    name: "http_post",
    description:
      "Send an HTTP POST to a URL and return its status, main headers and body. An object body is sent as JSON, a string as text. Only public hosts are reachable.",
    inputSchema: z.object({
      ...commonInput,
      body: z
        .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
        .optional()
        .describe("Request body: an object or array is sent as JSON, a string as is"),
    }),
    sideEffect: true,
    execute: (input, { abortSignal }) => run("http_post", options, fixed, input, "POST", abortSignal),
  });
}

/** Both HTTP tools under one policy: `[http_get, http_post]`. */
export function httpTools(
  options: HttpToolOptions = {},
): [Tool<GetInput, HttpToolOutput>, Tool<PostInput, HttpToolOutput>] {
  return [httpGetTool(options), httpPostTool(options)];
}
