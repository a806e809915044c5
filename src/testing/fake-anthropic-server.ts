/**
 * A real HTTP server on 127.0.0.1 that speaks enough of the Anthropic Messages API for tests and
 * offline examples: `POST /v1/messages` (JSON and SSE streaming with the real event sequence) and
 * `POST /v1/messages/count_tokens`. It records every request and answers from a queue, a reply
 * function or a default text, and can inject the faults real deployments produce.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeAnthropicToolUse {
  /** Defaults to `toolu_fake_<n>`. */
  id?: string;
  name: string;
  input: unknown;
  /** Sent verbatim as the tool input JSON instead of `input` (e.g. invalid JSON to test error paths). */
  rawInputJson?: string;
}

export interface FakeAnthropicUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
}

/** One reply. With no `text` and no `toolUses`, the server answers with its default text. */
export interface FakeAnthropicReply {
  text?: string;
  toolUses?: FakeAnthropicToolUse[];
  /** Defaults to `tool_use` when there are tool uses, otherwise `end_turn`. */
  stopReason?: string;
  /** Defaults are estimates (about 4 characters per token). */
  usage?: FakeAnthropicUsage;
  id?: string;
  /** Defaults to the requested model. */
  model?: string;
  /** Answer for `count_tokens`; defaults to an estimate of the request's text. */
  inputTokens?: number;
  /** HTTP status. 400 and above send an Anthropic-shaped error body (see `error`). */
  status?: number;
  /** Extra response headers, e.g. `{ "retry-after": "3" }`. */
  headers?: Record<string, string>;
  /** Error body fields for `status >= 400`; the type defaults from the status (429 → rate_limit_error). */
  error?: { type?: string; message?: string };
  /** Raw response body sent verbatim with `status` (default 200) as application/json. */
  body?: string;
  /** Send a truncated, unparseable JSON body (or, when streaming, an event whose data is not JSON). */
  malformed?: boolean;
  /** Streaming only: drop the connection after this many events. */
  cutAfterEvents?: number;
  /** Streaming only: send an SSE `error` event (e.g. overloaded_error) after `afterEvents` events. */
  streamError?: { type: string; message: string; afterEvents?: number };
  /** Wait this long before answering. */
  delayMs?: number;
  /** Streaming only: wait this long between events. */
  eventDelayMs?: number;
}

export interface FakeAnthropicRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export interface FakeAnthropicServerOptions {
  /** Computes replies once the queue is empty. */
  reply?: (request: FakeAnthropicRequest) => FakeAnthropicReply | Promise<FakeAnthropicReply>;
  /** When set, requests without this key (x-api-key or Bearer) get a 401 authentication_error. */
  apiKey?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
}

export interface FakeAnthropicServer {
  /** Base URL to pass as `baseURL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: FakeAnthropicRequest[];
  /** Queue replies; each request takes the next one before `reply` or the default applies. */
  enqueue(...replies: FakeAnthropicReply[]): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_ANTHROPIC_TEXT = "Hello from the fake Anthropic server.";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

/**
 * Starts a fake Anthropic Messages API server on 127.0.0.1.
 *
 * @example
 * const server = await startFakeAnthropicServer();
 * server.enqueue({ text: "Hi!" }, { status: 429, headers: { "retry-after": "2" } });
 * const model = createAnthropic({ apiKey: "test", baseURL: server.url }).languageModel("claude-haiku-4-5");
 * await model.doGenerate({ messages: [{ role: "user", content: "Hello" }] }); // "Hi!"
 * await server.close();
 */
export async function startFakeAnthropicServer(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
  const requests: FakeAnthropicRequest[] = [];
  const queue: FakeAnthropicReply[] = [];
  let counter = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, {}, { type: "api_error", message: String(error) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const request: FakeAnthropicRequest = {
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0] ?? "/",
      headers: flattenHeaders(req),
      body: parseJson(raw),
    };
    requests.push(request);
    const number = ++counter;

    if (options.apiKey !== undefined && keyOf(request.headers) !== options.apiKey) {
      return sendError(res, 401, {}, { type: "authentication_error", message: "invalid x-api-key" });
    }
    const isMessages = request.method === "POST" && request.path === "/v1/messages";
    const isCount = request.method === "POST" && request.path === "/v1/messages/count_tokens";
    if (!isMessages && !isCount) {
      return sendError(
        res,
        404,
        {},
        { type: "not_found_error", message: `Not found: ${request.method} ${request.path}` },
      );
    }

    const reply = queue.shift() ?? (await options.reply?.(request)) ?? {};
    if (reply.delayMs) {
      const wait = reply.delayMs;
      const gone = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), wait);
        res.once("close", () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (gone) return;
    }

    const headers = { "request-id": `req_fake_${number}`, ...reply.headers };
    const status = reply.status ?? 200;
    if (reply.body !== undefined) {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(reply.body);
      return;
    }
    if (status >= 400) return sendError(res, status, headers, reply.error ?? {});

    const body = (request.body ?? {}) as Record<string, unknown>;
    if (isCount) {
      if (reply.malformed) return sendMalformed(res, headers);
      return sendJson(res, status, headers, { input_tokens: reply.inputTokens ?? estimateTokens(body) });
    }

    const { message, rawInputs } = buildMessage(reply, body, number);
    if (body.stream === true) return streamMessage(res, headers, message, rawInputs, reply);
    if (reply.malformed) return sendMalformed(res, headers);
    sendJson(res, status, headers, message);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface FakeMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: Array<Record<string, unknown>>;
  stop_reason: string;
  stop_sequence: string | null;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
}

function buildMessage(
  reply: FakeAnthropicReply,
  body: Record<string, unknown>,
  number: number,
): { message: FakeMessage; rawInputs: Map<number, string> } {
  const toolUses = reply.toolUses ?? [];
  const text = reply.text ?? (toolUses.length === 0 ? DEFAULT_FAKE_ANTHROPIC_TEXT : undefined);
  const content: Array<Record<string, unknown>> = [];
  const rawInputs = new Map<number, string>();
  if (text !== undefined) content.push({ type: "text", text });
  toolUses.forEach((use, i) => {
    if (use.rawInputJson !== undefined) rawInputs.set(content.length, use.rawInputJson);
    content.push({ type: "tool_use", id: use.id ?? `toolu_fake_${number}_${i + 1}`, name: use.name, input: use.input });
  });
  const stopReason = reply.stopReason ?? (toolUses.length > 0 ? "tool_use" : "end_turn");
  const stops = Array.isArray(body.stop_sequences) ? (body.stop_sequences as string[]) : [];
  const outputText = `${text ?? ""}${toolUses.map((u) => JSON.stringify(u.input)).join("")}`;
  const message: FakeMessage = {
    id: reply.id ?? `msg_fake_${number}`,
    type: "message",
    role: "assistant",
    model: reply.model ?? (typeof body.model === "string" ? body.model : "claude-fake"),
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === "stop_sequence" ? (stops[0] ?? null) : null,
    usage: {
      input_tokens: reply.usage?.inputTokens ?? estimateTokens(body),
      output_tokens: reply.usage?.outputTokens ?? Math.max(1, Math.ceil(outputText.length / 4)),
      cache_creation_input_tokens: reply.usage?.cacheCreationInputTokens ?? 0,
      cache_read_input_tokens: reply.usage?.cacheReadInputTokens ?? 0,
    },
  };
  return { message, rawInputs };
}

async function streamMessage(
  res: ServerResponse,
  headers: Record<string, string>,
  message: FakeMessage,
  rawInputs: Map<number, string>,
  reply: FakeAnthropicReply,
): Promise<void> {
  const events: Array<[string, unknown]> = [];
  events.push([
    "message_start",
    {
      type: "message_start",
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    },
  ]);
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push([
        "content_block_start",
        { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      ]);
      if (index === 0) events.push(["ping", { type: "ping" }]);
      for (const piece of splitText(String(block.text))) {
        events.push([
          "content_block_delta",
          { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } },
        ]);
      }
    } else {
      const start = { type: "tool_use", id: block.id, name: block.name, input: {} };
      events.push(["content_block_start", { type: "content_block_start", index, content_block: start }]);
      const json = rawInputs.get(index) ?? JSON.stringify(block.input ?? {});
      for (const piece of splitJson(json)) {
        events.push([
          "content_block_delta",
          { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } },
        ]);
      }
    }
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
  });
  events.push([
    "message_delta",
    {
      type: "message_delta",
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: { output_tokens: message.usage.output_tokens },
    },
  ]);
  events.push(["message_stop", { type: "message_stop" }]);

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers });
  for (let i = 0; i < events.length; i++) {
    if (res.destroyed) return;
    if (reply.eventDelayMs && i > 0) await new Promise((resolve) => setTimeout(resolve, reply.eventDelayMs));
    if (reply.streamError && i === (reply.streamError.afterEvents ?? 1)) {
      const { type, message: text } = reply.streamError;
      res.end(sse("error", { type: "error", error: { type, message: text } }));
      return;
    }
    if (reply.cutAfterEvents !== undefined && i === reply.cutAfterEvents) {
      res.destroy();
      return;
    }
    const [name, data] = events[i] as [string, unknown];
    if (reply.malformed && name === "content_block_delta") {
      res.end(`event: ${name}\ndata: {"type":"content_block_delta","index":0,"delta":{"ty\n\n`);
      return;
    }
    // Awaiting each write puts the events on the wire before a later cut, as a real proxy drop would.
    await new Promise<void>((resolve) => res.write(sse(name, data), () => resolve()));
  }
  res.end();
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  error: { type?: string; message?: string },
) {
  const type = error.type ?? ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  sendJson(res, status, headers, {
    type: "error",
    error: { type, message: error.message ?? `Fake ${type} (HTTP ${status})` },
    request_id: headers["request-id"] ?? null,
  });
}

function sendMalformed(res: ServerResponse, headers: Record<string, string>) {
  res.writeHead(200, { "content-type": "application/json", ...headers });
  res.end('{"id":"msg_fake","type":"message","content":[{"type":"te');
}

function splitText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function splitJson(json: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += 8) pieces.push(json.slice(i, i + 8));
  return pieces.length > 0 ? pieces : [""];
}

function estimateTokens(body: Record<string, unknown>): number {
  const text = JSON.stringify([body.system ?? "", body.messages ?? [], body.tools ?? []]);
  return Math.max(1, Math.ceil(text.length / 4));
}

function keyOf(headers: Record<string, string>): string | undefined {
  const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return headers["x-api-key"] ?? bearer;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function parseJson(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
