import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "../spec/errors.js";

export const CONFIG_FILE_NAME = "weft.config.json";

const providerSettings = z
  .object({
    /** For custom names: the protocol the server speaks. */
    type: z.enum(["openai", "openai-compatible", "azure", "anthropic", "local"]).optional(),
    baseURL: z.string().url().optional(),
    endpoint: z.string().url().optional(),
    apiVersion: z.string().optional(),
    /** Name of the environment variable holding the key; keys never live in the config file. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
      .optional(),
    modelsDir: z.string().optional(),
    threads: z.number().int().positive().optional(),
    contextSize: z.number().int().positive().optional(),
    gpu: z.union([z.boolean(), z.literal("auto")]).optional(),
  })
  .strict();

const factsSchema = z
  .object({
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    dimensions: z.number().int().positive().optional(),
    input: z.number().nonnegative().optional(),
    cachedInput: z.number().nonnegative().optional(),
    output: z.number().nonnegative().optional(),
  })
  .strict();

/** An MCP server weft starts as a child process and talks to over stdin/stdout. */
const mcpStdioServer = z
  .object({
    type: z.literal("stdio"),
    command: z
      .string({ error: 'must name the program to run (or use "url" for a server that is already running)' })
      .min(1, "must name the program to run"),
    args: z.array(z.string()).optional(),
    /** Extra environment for the server; values may use `${VAR}` from weft's own environment. */
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    /** Per-call timeout in milliseconds. */
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

/** An MCP server reached over Streamable HTTP (`type: "sse"` for servers that only speak the old HTTP+SSE). */
const mcpHttpServer = z
  .object({
    type: z.enum(["http", "sse"]),
    url: z.string().url(),
    /** Sent with every request; values may use `${VAR}` so tokens stay out of the file. */
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

/** `type` may be left out: a server with `url` is reached over HTTP, anything else is started (stdio). */
const mcpServerSettings = z.preprocess(
  (value) =>
    typeof value === "object" && value !== null && !Array.isArray(value) && !("type" in value)
      ? { ...value, type: "url" in value ? "http" : "stdio" }
      : value,
  z.discriminatedUnion("type", [mcpStdioServer, mcpHttpServer]),
);

const MCP_SERVER_NAME = /^[A-Za-z0-9_-]{1,32}$/;

const mcpServers = z.record(z.string(), mcpServerSettings).superRefine((servers, ctx) => {
  for (const name of Object.keys(servers)) {
    if (!MCP_SERVER_NAME.test(name)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "server names use 1-32 letters, digits, '_' or '-' (they prefix tool names)",
      });
    }
  }
});

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** Default chat model, `provider:name`. */
    model: z.string().optional(),
    /** Default embedding model, `provider:name`. */
    embeddingModel: z.string().optional(),
    store: z.object({ path: z.string().optional(), url: z.string().optional() }).strict().optional(),
    providers: z.record(z.string(), providerSettings).optional(),
    /** Prices (USD per million tokens) and context sizes for models weft does not know. */
    modelFacts: z.record(z.string(), factsSchema).optional(),
    /** MCP servers whose tools agents can use, by name (`weft agent`, `loadMcpTools`). */
    mcpServers: mcpServers.optional(),
  })
  .strict();

export type WeftConfig = z.infer<typeof configSchema>;
export type ProviderSettings = z.infer<typeof providerSettings>;
export type McpServerSettings = z.infer<typeof mcpServerSettings>;

export interface LoadedConfig {
  config: WeftConfig;
  /** The file it came from; undefined when none was found. */
  path?: string;
}

/** Looks for weft.config.json in `cwd` and its parents. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Loads and validates the config file: `path`, else `$WEFT_CONFIG`, else the nearest
 * weft.config.json. No file is fine (empty config); an invalid one is a ConfigError naming the field.
 *
 * @example
 * const { config } = loadConfig({ cwd: process.cwd() });
 */
export function loadConfig(opts: { cwd?: string; path?: string; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const explicit = opts.path ?? env.WEFT_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : findConfigFile(cwd);
  if (!path) return { config: {} };
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError({
      path,
      cause: error,
      message: `Cannot read the config file ${path}. Check the path (--config or WEFT_CONFIG).`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError({
      path,
      cause: error,
      message: `${path} is not valid JSON (${(error as Error).message}). Fix the syntax.`,
    });
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(root)";
    throw new ConfigError({
      path,
      message: `${path}: ${where}: ${issue?.message ?? "invalid"}. See docs/configuration.md for the fields.`,
    });
  }
  return { config: parsed.data, path };
}
