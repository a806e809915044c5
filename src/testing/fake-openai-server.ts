/**
 * A fake OpenAI-compatible HTTP server for tests: a real `node:http` server on 127.0.0.1 that speaks
 * the Chat Completions, Completions, Embeddings and Models wire formats (JSON and SSE streaming),
 * including Azure deployment paths, and can inject faults (HTTP errors, malformed bodies, cut
 * streams, slow replies, connection resets).
 *
 * Routes: `POST /v1/chat/completions`, `POST /v1/completions`, `POST /v1/embeddings`,
 * `GET /v1/models`, and the Azure forms `POST /openai/deployments/<name>/{chat/completions,
 * completions,embeddings}?api-version=...` and `GET /openai/models`.
 *
 * Each reply is taken from the queue (`enqueue`), else from the `reply` option, else the default:
 * the text "Hello from the fake server." Usage counts are word counts of the prompt and the output.
 * Embeddings are deterministic unit vectors derived from the text (8 dimensions unless configured
 * or requested with `dimensions`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** A tool call the fake model makes; `arguments` is sent verbatim when it is a string. */
export interface FakeToolCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

/** One generated choice. */
export interface FakeChoice {
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Wire finish reason; `null` sends none (a stream then ends without one). Default `stop` / `tool_calls`. */
  finishReason?: string | null;
  /** Log probability of each token (word); defaults to -0.1, -0.2, ... when the request asks for logprobs. */
  logprobs?: number[];
}

/** What the fake server answers to one request. Fault fields take precedence over content. */
export interface FakeReply extends FakeChoice {
  /** Per-choice content when the request asks for `n > 1` (otherwise every choice repeats this reply). */
  choices?: FakeChoice[];
  /** Overrides the wire `usage` object; `false` omits it. */
  usage?: Record<string, unknown> | false;
  /** Model name reported in the response (default: the requested model or Azure deployment). */
  model?: string;
  /** Words per streamed text delta and characters per tool-argument delta (default 1 and 8). */
  chunkSize?: number;
  /** Reply with this status, headers and JSON body (or string) instead, e.g. a 429 with Retry-After. */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** A 200 response whose body is not valid JSON (or an SSE event that is not). */
  malformed?: boolean;
  /** Destroy the socket after this many SSE chunks of a streaming reply. */
  cutStreamAfter?: number;
  /** Wait this long before answering; `close()` still stops the server at once. */
  delayMs?: number;
  /** Reset the TCP connection instead of answering. */
  resetConnection?: boolean;
}

/** Parsed JSON of a request body, typed loosely so tests can read it without casts. */
// biome-ignore lint/suspicious/noExplicitAny: arbitrary JSON from the client
export type FakeJson = any;

/** A request as the server received it. */
export interface FakeRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  query: Record<string, string>;
  /** Header names are lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for GET). */
  body: FakeJson;
  /** Azure deployment name for `/openai/deployments/<name>/...` paths. */
  deployment?: string;
}

export interface FakeOpenAIServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** When set, requests must send `Authorization: Bearer <apiKey>` or `api-key: <apiKey>`, else 401. */
  apiKey?: string;
  /** Called for each model request when the queue is empty. */
  reply?: (request: FakeRequest) => FakeReply | Promise<FakeReply>;
  /** Embedding length when the request does not ask for `dimensions` (default 8). */
  embeddingDimensions?: number;
  /** Ids listed by `GET /v1/models` (default `["fake-model"]`). */
  models?: string[];
}

export interface FakeOpenAIServer {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  /** `http://127.0.0.1:<port>`, the Azure endpoint form. */
  origin: string;
  port: number;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** Queue replies; each model request takes the next one. */
  enqueue(...replies: FakeReply[]): void;
  /** Stop listening and drop open connections and pending delays. */
  close(): Promise<void>;
}

const DEFAULT_TEXT = "Hello from the fake server.";
const ROUTE = /^\/(?:v1|openai\/deployments\/([^/]+))\/(chat\/completions|completions|embeddings)$/;

/**
 * Starts the fake server. Close it when done.
 *
 * @example
 * const server = await startFakeOpenAIServer();
 * server.enqueue({ text: "Paris." }, { status: 429, headers: { "retry-after": "2" } });
 * const openai = createOpenAI({ apiKey: "test", baseURL: server.url });
 * // ... call the model, then inspect server.requests[0].body
 * await server.close();
 */
export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const queue: FakeReply[] = [];
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const wait = (ms: number, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
      res.on("close", () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve();
      });
    });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    let body: FakeJson;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return sendError(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
    }
    const route = ROUTE.exec(url.pathname);
    const record: FakeRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
      ...(route?.[1] ? { deployment: decodeURIComponent(route[1]) } : {}),
    };
    requests.push(record);

    if (options.apiKey !== undefined) {
      const sent = req.headers["api-key"] ?? /^Bearer (.*)$/.exec(req.headers.authorization ?? "")?.[1];
      if (sent !== options.apiKey) {
        return sendError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
      }
    }
    if (req.method === "GET" && /^\/(?:v1|openai)\/models$/.test(url.pathname)) {
      const data = (options.models ?? ["fake-model"]).map((id) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "fake",
      }));
      return sendJson(res, 200, { object: "list", data });
    }
    if (req.method !== "POST" || !route) {
      return sendError(res, 404, `Unknown route ${req.method} ${url.pathname}.`, "invalid_request_error");
    }

    const reply = queue.shift() ?? (await options.reply?.(record)) ?? {};
    if (reply.delayMs) await wait(reply.delayMs, res);
    if (res.destroyed) return;
    if (reply.resetConnection) return req.socket.resetAndDestroy();
    if (reply.status !== undefined) {
      const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      return res.end(text);
    }
    const model = reply.model ?? record.deployment ?? body?.model ?? "fake-model";
    const id = `fake-${++counter}`;
    const kind = route[2];
    if (reply.malformed && !body?.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end('{"id": "broken", "choices": [');
    }
    if (kind === "embeddings") return sendJson(res, 200, embeddings(body, model, options.embeddingDimensions ?? 8));
    const chat = kind === "chat/completions";
    const choices = buildChoices(reply, Math.max(1, Number(body?.n ?? 1)));
    const usage = reply.usage === false ? undefined : (reply.usage ?? countUsage(body, choices));
    const wantLogprobs = chat ? body?.logprobs === true : typeof body?.logprobs === "number";
    const top = chat ? Number(body?.top_logprobs ?? 0) : Number(body?.logprobs ?? 0);
    const meta = { id: `${chat ? "chatcmpl" : "cmpl"}-${id}`, created: Math.floor(Date.now() / 1000), model };

    if (!body?.stream) {
      const object = chat ? "chat.completion" : "text_completion";
      const out = choices.map((c, index) => {
        const logprobs = wantLogprobs ? (chat ? chatLogprobs(c, top) : completionLogprobs(c, top)) : null;
        if (!chat) return { index, text: c.text, finish_reason: c.finishReason, logprobs };
        const message = { role: "assistant", content: c.toolCalls.length && !c.text ? null : c.text, refusal: null };
        if (c.toolCalls.length) Object.assign(message, { tool_calls: c.toolCalls.map(wireToolCall) });
        return { index, message, finish_reason: c.finishReason, logprobs };
      });
      return sendJson(res, 200, { ...meta, object, choices: out, ...(usage ? { usage } : {}) });
    }

    const chunks = streamChunks({ chat, choices, wantLogprobs, top, chunkSize: reply.chunkSize ?? 1 });
    const includeUsage = body.stream_options?.include_usage === true;
    const object = chat ? "chat.completion.chunk" : "text_completion";
    if (includeUsage && usage) chunks.push({ choices: [], usage });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    let sent = 0;
    for (const chunk of chunks) {
      if (reply.cutStreamAfter !== undefined && sent >= reply.cutStreamAfter) return req.socket.destroy();
      const wire = includeUsage && !("usage" in chunk) ? { ...chunk, usage: null } : chunk;
      const data = reply.malformed ? '{"choices": [' : JSON.stringify({ ...meta, object, ...wire });
      // Wait for each chunk to be flushed so clients see incremental delivery and cuts are exact.
      await new Promise((resolve) => res.write(`data: ${data}\n\n`, resolve));
      sent++;
      if (res.destroyed) return;
    }
    if (reply.cutStreamAfter !== undefined && sent >= reply.cutStreamAfter) return req.socket.destroy();
    res.end("data: [DONE]\n\n");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `Fake server failure: ${String(error)}`, "server_error");
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface BuiltChoice {
  text: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: string | null;
  tokens: string[];
  logprobs: number[];
}

function buildChoices(reply: FakeReply, n: number): BuiltChoice[] {
  return Array.from({ length: n }, (_, index) => {
    const c = reply.choices?.[index] ?? reply;
    const toolCalls = (c.toolCalls ?? []).map((t, i) => ({
      id: t.id ?? `call_${index}_${i}`,
      name: t.name,
      arguments: typeof t.arguments === "string" ? t.arguments : JSON.stringify(t.arguments),
    }));
    const text = c.text ?? (toolCalls.length ? "" : DEFAULT_TEXT);
    const tokens = text.match(/\s*\S+|\s+/g) ?? [];
    const finishReason = c.finishReason === undefined ? (toolCalls.length ? "tool_calls" : "stop") : c.finishReason;
    const logprobs = tokens.map((_, i) => c.logprobs?.[i] ?? -0.1 * (i + 1));
    return { text, toolCalls, finishReason, tokens, logprobs };
  });
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function countUsage(body: FakeJson, choices: BuiltChoice[]) {
  const prompt = Array.isArray(body?.messages)
    ? body.messages
        .map((m: FakeJson) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? "")))
        .join(" ")
    : String(body?.prompt ?? "");
  const completion = choices.reduce(
    (sum, c) => sum + words(c.text) + c.toolCalls.reduce((s, t) => s + words(t.arguments.replace(/[{}":,]/g, " ")), 0),
    0,
  );
  const prompt_tokens = words(prompt);
  return { prompt_tokens, completion_tokens: completion, total_tokens: prompt_tokens + completion };
}

function wireToolCall(t: BuiltChoice["toolCalls"][number]) {
  return { id: t.id, type: "function", function: { name: t.name, arguments: t.arguments } };
}

function alternatives(token: string, logprob: number, top: number) {
  return Array.from({ length: top }, (_, k) => ({
    token: k === 0 ? token : `${token.trim()}~${k}`,
    logprob: k === 0 ? logprob : logprob - k,
  }));
}

function chatLogprobs(c: Pick<BuiltChoice, "tokens" | "logprobs">, top: number) {
  const content = c.tokens.map((token, i) => {
    const logprob = c.logprobs[i] ?? 0;
    const bytes = [...Buffer.from(token)];
    const top_logprobs = alternatives(token, logprob, top).map((a) => ({ ...a, bytes: [...Buffer.from(a.token)] }));
    return { token, logprob, bytes, top_logprobs };
  });
  return { content, refusal: null };
}

function completionLogprobs(c: Pick<BuiltChoice, "tokens" | "logprobs">, top: number) {
  let offset = 0;
  const text_offset = c.tokens.map((t) => {
    const at = offset;
    offset += t.length;
    return at;
  });
  const top_logprobs = c.tokens.map((t, i) =>
    Object.fromEntries(alternatives(t, c.logprobs[i] ?? 0, top).map((a) => [a.token, a.logprob])),
  );
  return { tokens: c.tokens, token_logprobs: c.logprobs, top_logprobs, text_offset };
}

function streamChunks(o: {
  chat: boolean;
  choices: BuiltChoice[];
  wantLogprobs: boolean;
  top: number;
  chunkSize: number;
}): Array<Record<string, unknown>> {
  const chunks: Array<Record<string, unknown>> = [];
  const size = Math.max(1, o.chunkSize);
  o.choices.forEach((c, index) => {
    const choice = (extra: Record<string, unknown>) =>
      chunks.push({ choices: [{ index, finish_reason: null, ...extra }] });
    if (o.chat) choice({ delta: { role: "assistant", content: "" }, logprobs: null });
    for (let i = 0; i < c.tokens.length; i += size) {
      const part = { tokens: c.tokens.slice(i, i + size), logprobs: c.logprobs.slice(i, i + size) };
      const text = part.tokens.join("");
      const logprobs = o.wantLogprobs ? (o.chat ? chatLogprobs(part, o.top) : completionLogprobs(part, o.top)) : null;
      choice(o.chat ? { delta: { content: text }, logprobs } : { text, logprobs });
    }
    c.toolCalls.forEach((t, k) => {
      choice({
        delta: { tool_calls: [{ index: k, id: t.id, type: "function", function: { name: t.name, arguments: "" } }] },
      });
      for (let i = 0; i < t.arguments.length; i += size * 8) {
        choice({ delta: { tool_calls: [{ index: k, function: { arguments: t.arguments.slice(i, i + size * 8) } }] } });
      }
    });
    if (c.finishReason !== null)
      choice(o.chat ? { delta: {}, finish_reason: c.finishReason } : { text: "", finish_reason: c.finishReason });
  });
  return chunks;
}

function embeddings(body: FakeJson, model: string, defaultDimensions: number) {
  const inputs: string[] = Array.isArray(body?.input) ? body.input.map(String) : [String(body?.input ?? "")];
  const dims = Number(body?.dimensions ?? defaultDimensions);
  const data = inputs.map((text, index) => {
    const vector = fakeEmbedding(text, dims);
    const embedding =
      body?.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
    return { object: "embedding", index, embedding };
  });
  const tokens = inputs.reduce((sum, t) => sum + words(t), 0);
  return { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

/** A deterministic unit vector for `text` (FNV-1a hashes per dimension). */
function fakeEmbedding(text: string, dims: number): number[] {
  const raw = Array.from({ length: dims }, (_, d) => {
    let h = 2166136261 ^ d;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return ((h >>> 0) / 4294967295) * 2 - 1;
  });
  const norm = Math.hypot(...raw) || 1;
  return raw.map((v) => v / norm);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null) {
  sendJson(res, status, { error: { message, type, param: null, code } });
}
