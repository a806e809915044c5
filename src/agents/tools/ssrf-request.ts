/**
 * HTTP requests under a network policy. Every hop (the first URL and each redirect) is checked by
 * `checkUrl`, and the socket connects to the address that check validated — the host name is never
 * resolved a second time, so a DNS answer that changes between check and connect (rebinding) has
 * no effect. Bodies are read as a stream and cut off at the policy's byte limit.
 */
import type { IncomingMessage } from "node:http";
import type { RequestOptions } from "node:https";
import type { LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { VERSION } from "../../cli/version.js";
import { AbortError, ToolExecutionError, ToolSafetyError, WeftError } from "../../spec/errors.js";
import {
  type CheckedTarget,
  checkUrl,
  type NetPolicy,
  type ResolvedNetPolicy,
  resolveNetPolicy,
} from "./net-policy.js";

export interface PolicyRequest {
  url: string | URL;
  /** Default GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  abortSignal?: AbortSignal;
  /** The tool name used in error messages. Default "http". */
  tool?: string;
}

export interface PolicyResponse {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  /** Response headers, names in lower case, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body, decompressed; at most `maxResponseBytes`. */
  bytes: Buffer;
  /** Whether the body was cut off at `maxResponseBytes`. */
  truncated: boolean;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers that would let a caller smuggle requests or change where and how the request is framed. */
const FORBIDDEN_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-authorization",
  "proxy-connection",
]);
/** The only headers kept when a redirect leaves the original origin: no credentials travel on. */
const CROSS_ORIGIN_SAFE = new Set(["accept", "accept-language", "user-agent", "accept-encoding", "content-type"]);

/**
 * Validates header names and values: CR, LF and NUL (header injection) and framing headers are refused.
 * Returns the headers with lower-case names.
 */
export function checkHeaders(headers: Record<string, string> | undefined, tool: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!TOKEN.test(name)) {
      throw new ToolSafetyError({ tool, message: `The header name '${name.slice(0, 60)}' is not a valid HTTP token.` });
    }
    if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
      throw new ToolSafetyError({
        tool,
        message: `The value of header '${name}' contains a line break or NUL character (header injection); send a single-line value.`,
      });
    }
    // The characters Node's HTTP client accepts in a header value (tab, printable ASCII, Latin-1).
    if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      throw new ToolSafetyError({
        tool,
        message: `The value of header '${name}' contains control or non-Latin-1 characters; percent-encode or drop them.`,
      });
    }
    const lower = name.toLowerCase();
    if (FORBIDDEN_HEADERS.has(lower)) {
      throw new ToolSafetyError({ tool, message: `The header '${name}' cannot be set; weft manages it.` });
    }
    out[lower] = value;
  }
  return out;
}

/** A `lookup` that answers only with the address checkUrl validated, in either callback shape net uses. */
function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (hostname, options, callback) => {
    if (hostname.toLowerCase().replace(/\.$/, "") !== target.hostname) {
      callback(Object.assign(new Error(`unexpected lookup of ${hostname}`), { code: "ENOTFOUND" }), "", 4);
      return;
    }
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}

async function send(
  target: CheckedTarget,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const secure = target.url.protocol === "https:";
  // Loaded on first use: importing weft should not pay for the TLS stack.
  const { request } = secure ? await import("node:https") : await import("node:http");
  return new Promise((resolve, reject) => {
    const options: RequestOptions = {
      host: target.hostname,
      port: target.url.port || (secure ? 443 : 80),
      path: `${target.url.pathname}${target.url.search}`,
      method,
      headers,
      // A fresh agent per request: a pooled socket could belong to an address checked for another request.
      agent: false,
      lookup: pinnedLookup(target),
      signal,
    };
    const req = request(options, resolve);
    req.on("error", reject);
    req.end(body);
  });
}

async function decoded(response: IncomingMessage): Promise<Readable> {
  const encoding = String(response.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  if (!["gzip", "x-gzip", "deflate", "br"].includes(encoding)) return response;
  const zlib = await import("node:zlib");
  const decoder =
    encoding === "br"
      ? zlib.createBrotliDecompress()
      : encoding === "deflate"
        ? zlib.createInflate()
        : zlib.createGunzip();
  return pipeline(response, decoder, () => {});
}

async function readLimited(
  response: IncomingMessage,
  maxBytes: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of await decoded(response)) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      break;
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  // Stop the download as soon as the limit is reached instead of draining the rest.
  if (truncated) response.destroy();
  return { bytes: Buffer.concat(chunks, size), truncated };
}

function flattenHeaders(response: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** DNS lookups cannot be cancelled, so the wait for one ends when the signal fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function failure(error: unknown, origin: string, tool: string, caller: AbortSignal | undefined, timeoutMs: number) {
  if (caller?.aborted) return new AbortError({ cause: error });
  const code = (error as { code?: string }).code;
  if (code === "ABORT_ERR" || (error as Error).name === "AbortError" || (error as Error).name === "TimeoutError") {
    return new ToolExecutionError({
      tool,
      message: `The request to ${origin} timed out after ${timeoutMs} ms; raise timeoutMs in the network policy or try again.`,
      cause: error,
      retryable: true,
    });
  }
  return new ToolExecutionError({
    tool,
    message: `Could not reach ${origin} (${code ?? (error as Error).message}); check the URL and that the server is up.`,
    cause: error,
    retryable: true,
  });
}

/**
 * Sends one HTTP request under a network policy, following redirects by hand (each hop re-checked)
 * and reading at most `maxResponseBytes`. Any status is returned; policy refusals throw
 * ToolSafetyError, network failures and timeouts ToolExecutionError.
 *
 * @example
 * const res = await requestWithPolicy({ url: "https://example.com/" }, { allowHosts: ["example.com"] });
 * res.status; // 200
 */
export async function requestWithPolicy(
  request: PolicyRequest,
  policy: NetPolicy | ResolvedNetPolicy = {},
): Promise<PolicyResponse> {
  const limits = "allowAllAddresses" in policy ? policy : resolveNetPolicy(policy);
  const tool = request.tool ?? "http";
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = request.abortSignal ? AbortSignal.any([request.abortSignal, timeout]) : timeout;
  let headers: Record<string, string> = {
    "user-agent": `weft/${VERSION}`,
    accept: "*/*",
    "accept-encoding": "gzip, deflate, br",
    ...checkHeaders(request.headers, tool),
  };
  let method = (request.method ?? "GET").toUpperCase();
  let body = request.body;
  let url: string | URL = request.url;

  for (let hop = 0; ; hop++) {
    let target: CheckedTarget;
    try {
      target = await untilAborted(checkUrl(url, limits, tool), signal);
    } catch (error) {
      if (WeftError.isInstance(error)) throw error;
      throw failure(error, String(url), tool, request.abortSignal, limits.timeoutMs);
    }
    let response: IncomingMessage;
    try {
      response = await send(target, method, headers, body, signal);
    } catch (error) {
      throw failure(error, target.url.origin, tool, request.abortSignal, limits.timeoutMs);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location && status !== 304) {
      response.destroy();
      if (hop >= limits.maxRedirects) {
        throw new ToolSafetyError({
          tool,
          message: `Stopped after ${limits.maxRedirects} redirect(s) (at ${target.url.href}); raise maxRedirects in the network policy if the chain is expected.`,
        });
      }
      let next: URL;
      try {
        next = new URL(location, target.url);
      } catch (cause) {
        throw new ToolExecutionError({
          tool,
          message: `The server redirected to an invalid URL '${location}'.`,
          cause,
        });
      }
      // Browsers turn a redirected POST into a GET for 301/302/303; 307/308 repeat the request as is.
      if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
        const { "content-type": _dropped, ...rest } = headers;
        headers = rest;
      }
      if (next.origin !== target.url.origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => CROSS_ORIGIN_SAFE.has(name)));
      }
      url = next;
      continue;
    }
    try {
      const { bytes, truncated } = await readLimited(response, limits.maxResponseBytes);
      return { status, url: target.url.href, headers: flattenHeaders(response), bytes, truncated };
    } catch (error) {
      throw failure(error, target.url.origin, tool, request.abortSignal, limits.timeoutMs);
    }
  }
}
