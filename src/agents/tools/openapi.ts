/**
 * OpenAPI 3.0/3.1 → tools: one tool per operation, its input schema made of the path, query, header
 * and cookie parameters plus the request body. Calls go through the same network policy as `http_get`.
 * Specs are read as JSON objects or JSON files; YAML is not supported (no YAML parser is bundled).
 */
import { readFile } from "node:fs/promises";
import { InvalidArgumentError, ToolExecutionError } from "../../spec/errors.js";
import type { JSONSchema } from "../../spec/json-schema.js";
import { jsonInputSchema } from "../mcp/json-schema-tool.js";
import { sanitizeToolName } from "../mcp/tool-name.js";
import { type AnyTool, tool } from "../tool.js";
import { responseBody, shownHeaders } from "./http.js";
import { type NetPolicy, resolveNetPolicy } from "./net-policy.js";
import { deref, isObject, type Json, schemaConverter, specError } from "./openapi-schema.js";
import { requestWithPolicy } from "./ssrf-request.js";

export interface OpenApiToolsOptions {
  /** The OpenAPI document as an object, or the path of a JSON file holding it. Fetch remote specs yourself. */
  spec: Json | string;
  /** Where the API lives; default: the spec's first server URL (its variables set to their defaults). */
  baseUrl?: string;
  /** Network policy for the calls. Default: public hosts only. */
  policy?: NetPolicy;
  /** Only these operations (by operationId or tool name). Default: all. */
  include?: string[];
  /** Headers sent with every call, typically authentication; they win over header parameters. */
  headers?: Record<string, string>;
}

export interface OpenApiCallOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  truncated: boolean;
}

type ParamIn = "path" | "query" | "header" | "cookie";
interface Binding {
  key: string;
  name: string;
  in: ParamIn;
  style?: string;
  explode?: boolean;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

async function loadSpec(spec: Json | string): Promise<Json> {
  if (typeof spec !== "string") return spec;
  let text = spec;
  // Text that is clearly a document (JSON, or YAML pasted inline) is parsed; anything else is a path.
  if (!spec.trimStart().startsWith("{") && !spec.includes("\n")) {
    try {
      text = await readFile(spec, "utf8");
    } catch (cause) {
      throw new InvalidArgumentError({
        argument: "spec",
        message: `Could not read the OpenAPI spec '${spec}': ${(cause as Error).message}`,
      });
    }
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  const yaml = /\.ya?ml$/i.test(spec) || /^\s*openapi\s*:/m.test(text);
  throw specError(
    yaml
      ? `The OpenAPI spec '${spec.slice(0, 80)}' is YAML, which is not supported (no YAML parser is bundled); convert it to JSON first.`
      : `The OpenAPI spec '${spec.slice(0, 80)}' is not a JSON object.`,
  );
}

function serverUrl(doc: Json, baseUrl: string | undefined): string {
  let url = baseUrl;
  const first = Array.isArray(doc.servers) && isObject(doc.servers[0]) ? doc.servers[0] : undefined;
  if (url === undefined && typeof first?.url === "string") {
    const variables = isObject(first.variables) ? first.variables : {};
    url = first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const variable = variables[name];
      return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
    });
  }
  if (url === undefined) throw specError("The spec names no server; pass baseUrl.");
  try {
    return new URL(url).href.replace(/\/$/, "");
  } catch {
    throw new InvalidArgumentError({
      argument: "baseUrl",
      message: `The API base URL '${url}' is not an absolute http(s) URL; pass baseUrl, e.g. "https://api.example.com/v1".`,
    });
  }
}

interface Operation {
  name: string;
  operationId?: string;
  method: string;
  path: string;
  description: string;
  jsonSchema: JSONSchema;
  bindings: Binding[];
  body?: { key: string; mediaType: string };
}

function describeOperation(doc: Json, path: string, method: string, pathItem: Json, op: Json): Operation {
  const { convert, defs } = schemaConverter(doc, String(doc.openapi).startsWith("3.0"));
  const params = new Map<string, Json>();
  for (const raw of [
    ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
    ...(Array.isArray(op.parameters) ? op.parameters : []),
  ]) {
    const p = deref(doc, raw);
    params.set(`${p.in}:${p.name}`, p); // operation parameters override path-level ones
  }
  const properties: Json = {};
  const required: string[] = [];
  const bindings: Binding[] = [];
  for (const p of params.values()) {
    const where = p.in as ParamIn;
    if (!["path", "query", "header", "cookie"].includes(where) || typeof p.name !== "string") continue;
    const key = p.name in properties ? `${p.name}_${where}` : p.name;
    const content = isObject(p.content) ? Object.values(p.content)[0] : undefined;
    const schema = convert(p.schema ?? (isObject(content) ? content.schema : undefined) ?? { type: "string" });
    if (typeof p.description === "string" && schema.description === undefined) schema.description = p.description;
    properties[key] = schema;
    if (p.required === true || where === "path") required.push(key);
    bindings.push({
      key,
      name: p.name,
      in: where,
      style: typeof p.style === "string" ? p.style : undefined,
      explode: typeof p.explode === "boolean" ? p.explode : undefined,
    });
  }
  let body: Operation["body"];
  if (op.requestBody !== undefined) {
    const requestBody = deref(doc, op.requestBody);
    const content = isObject(requestBody.content) ? requestBody.content : {};
    const mediaType =
      Object.keys(content).find((t) => /^application\/([\w.-]+\+)?json\b/.test(t)) ?? Object.keys(content)[0];
    if (mediaType) {
      const key = "body" in properties ? "requestBody" : "body";
      const media = content[mediaType];
      const json = /json/.test(mediaType) || mediaType === "application/x-www-form-urlencoded";
      const schema = json && isObject(media) && media.schema !== undefined ? convert(media.schema) : { type: "string" };
      if (typeof requestBody.description === "string" && schema.description === undefined)
        schema.description = requestBody.description;
      properties[key] = schema;
      if (requestBody.required === true) required.push(key);
      body = { key, mediaType };
    }
  }
  const jsonSchema: JSONSchema = { type: "object", properties, additionalProperties: false };
  if (required.length > 0) jsonSchema.required = required;
  if (Object.keys(defs).length > 0) jsonSchema.$defs = defs;
  const text = [op.summary, op.description].filter((s): s is string => typeof s === "string" && s.trim() !== "");
  const description = `${text.join("\n\n") || "Calls the API."} (${method.toUpperCase()} ${path})`.slice(0, 1024);
  const operationId = typeof op.operationId === "string" ? op.operationId : undefined;
  const segments = path
    .split("/")
    .filter(Boolean)
    .map((s) => s.replace(/[{}]/g, ""));
  const base = operationId ?? [method, ...segments].join("_");
  const name = sanitizeToolName(base.replace(/[^a-zA-Z0-9_-]+/g, "_").replace(/^_+|_+$/g, ""));
  return { name, operationId, method: method.toUpperCase(), path, description, jsonSchema, bindings, body };
}

function encodePathValue(value: unknown, binding: Binding, tool: string): string {
  const text = Array.isArray(value) ? value.join(",") : String(value);
  // WHATWG URLs treat "." and ".." (also percent-encoded) as dot segments and would climb the path.
  if (text === "." || text === "..") {
    throw new ToolExecutionError({ tool, message: `The path parameter '${binding.name}' cannot be '${text}'.` });
  }
  return encodeURIComponent(text);
}

function addQuery(url: URL, binding: Binding, value: unknown): void {
  const explode = binding.explode ?? (binding.style ?? "form") === "form";
  if (Array.isArray(value)) {
    if (explode) for (const v of value) url.searchParams.append(binding.name, String(v));
    else url.searchParams.append(binding.name, value.join(binding.style === "pipeDelimited" ? "|" : ","));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      url.searchParams.append(binding.style === "deepObject" ? `${binding.name}[${k}]` : k, String(v));
    }
  } else {
    url.searchParams.append(binding.name, String(value));
  }
}

function callUrl(base: string, op: Operation, input: Json, tool: string): URL {
  const path = op.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const binding = op.bindings.find((b) => b.in === "path" && b.name === name);
    const value = binding ? input[binding.key] : undefined;
    if (binding === undefined || value === undefined) {
      throw new ToolExecutionError({ tool, message: `The path parameter '${name}' is missing.` });
    }
    return encodePathValue(value, binding, tool);
  });
  const url = new URL(`${base}${path}`);
  for (const b of op.bindings) {
    if (b.in === "query" && input[b.key] !== undefined && input[b.key] !== null) addQuery(url, b, input[b.key]);
  }
  return url;
}

function encodeBody(mediaType: string, value: unknown): string {
  if (/json/.test(mediaType)) return JSON.stringify(value);
  if (mediaType === "application/x-www-form-urlencoded" && isObject(value)) {
    return new URLSearchParams(Object.entries(value).map(([k, v]): [string, string] => [k, String(v)])).toString();
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Turns an OpenAPI 3.0/3.1 document (JSON) into tools, one per operation. Names come from
 * `operationId` (sanitised) or `method_path`; GET/HEAD/OPTIONS tools are read-only, the others need
 * approval. Arguments are validated with zod built from the operation's schema (ajv when zod cannot
 * express it).
 *
 * @example
 * const tools = await openApiTools({
 *   spec: "./petstore.json",
 *   headers: { Authorization: `Bearer ${process.env.PETS_TOKEN}` },
 *   include: ["listPets", "getPet"],
 * });
 */
export async function openApiTools(options: OpenApiToolsOptions): Promise<AnyTool[]> {
  const doc = await loadSpec(options.spec);
  if (typeof doc.openapi !== "string" || !/^3\.[01]\./.test(doc.openapi)) {
    throw specError(
      `Only OpenAPI 3.0 and 3.1 are supported; this document declares ${doc.swagger ? `Swagger ${doc.swagger}` : `openapi '${String(doc.openapi)}'`}. Convert it to OpenAPI 3 first.`,
    );
  }
  const base = serverUrl(doc, options.baseUrl);
  const policy = resolveNetPolicy(options.policy);
  const operations: Operation[] = [];
  for (const [path, pathItem] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(pathItem)) continue;
    for (const method of METHODS) {
      const op = pathItem[method];
      if (isObject(op)) operations.push(describeOperation(doc, path, method, pathItem, op));
    }
  }
  const taken = new Set<string>();
  for (const op of operations) {
    let name = op.name;
    for (let n = 2; taken.has(name); n++) name = sanitizeToolName(`${op.name.slice(0, 60)}_${n}`);
    taken.add(name);
    op.name = name;
  }
  let chosen = operations;
  if (options.include) {
    const known = (op: Operation, id: string) => op.operationId === id || op.name === id;
    const missing = options.include.filter((id) => !operations.some((op) => known(op, id)));
    if (missing.length > 0) {
      throw new InvalidArgumentError({
        argument: "include",
        message: `The spec has no operation ${missing.map((m) => `'${m}'`).join(", ")}; it has ${operations.map((o) => o.operationId ?? o.name).join(", ")}.`,
      });
    }
    chosen = operations.filter((op) => options.include?.some((id) => known(op, id)));
  }
  return Promise.all(
    chosen.map(async (op) => {
      const { schema } = await jsonInputSchema(op.jsonSchema);
      return tool({
        name: op.name,
        description: op.description,
        inputSchema: schema,
        jsonSchema: op.jsonSchema,
        sideEffect: !["GET", "HEAD", "OPTIONS"].includes(op.method),
        async execute(input: Json, { abortSignal }): Promise<OpenApiCallOutput> {
          const url = callUrl(base, op, input, op.name);
          const headers: Record<string, string> = {};
          const cookies: string[] = [];
          for (const b of op.bindings) {
            const value = input[b.key];
            if (value === undefined || value === null) continue;
            const text = Array.isArray(value) ? value.join(",") : String(value);
            if (b.in === "header") headers[b.name] = text;
            if (b.in === "cookie") cookies.push(`${b.name}=${encodeURIComponent(text)}`);
          }
          if (cookies.length > 0) headers.Cookie = cookies.join("; ");
          let body: string | undefined;
          if (op.body && input[op.body.key] !== undefined) {
            body = encodeBody(op.body.mediaType, input[op.body.key]);
            headers["Content-Type"] = op.body.mediaType;
          }
          const response = await requestWithPolicy(
            {
              url,
              method: op.method,
              headers: { accept: "application/json", ...headers, ...options.headers },
              body,
              abortSignal,
              tool: op.name,
            },
            policy,
          );
          return {
            status: response.status,
            headers: shownHeaders(response.headers),
            body: await responseBody(response),
            truncated: response.truncated,
          };
        },
      });
    }),
  );
}
