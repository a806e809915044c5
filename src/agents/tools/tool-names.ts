/**
 * Built-in tools by name, for `--tools a,b,c` on the command line (`weft agent`, `weft mcp`). One
 * table: a new built-in tool becomes available everywhere by adding one entry.
 */
import type { DataLocation } from "../../data/types.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { EmbeddingModel } from "../../spec/language-model.js";
import type { Store } from "../../spec/store.js";
import type { AnyTool } from "../tool.js";
import type { NetPolicy } from "./net-policy.js";

/** What tools may need; each is opened only when a named tool uses it. */
export interface ToolNameContext {
  /** The store with the index `docs_search` searches. */
  store?: () => Promise<Store>;
  /** The embedder the index was built with (hybrid search); full text only without it. */
  embedder?: () => Promise<EmbeddingModel | undefined>;
  /** The folder the `files` tool may read; required for `files`. */
  workspace?: string;
  /**
   * Network policy of `http_get`, `http_post` and `wikipedia` (default: public hosts only);
   * `web_search` takes only its `allowPrivateNetwork`, to reach a search instance on the local network.
   */
  net?: NetPolicy;
  /** Where `web_search` finds its provider settings (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** The data `sql` queries: files loaded into DuckDB or a database; required for `sql`. */
  data?: DataLocation & { cwd?: string; env?: NodeJS.ProcessEnv };
  /** Receives a cleanup for resources a tool opened (the data source of `sql`). */
  onClose?: (close: () => Promise<void>) => void;
}

type Factory = (ctx: ToolNameContext) => Promise<AnyTool[]>;

const FACTORIES: Record<string, Factory> = {
  calculator: async () => [(await import("./calculator.js")).calculatorTool()],
  code: async () => [(await import("./code.js")).codeTool()],
  files: async (ctx) => {
    if (!ctx.workspace) throw missing("files", "a workspace folder: pass { workspace } (--workspace)");
    return [(await import("./files.js")).filesTool({ root: ctx.workspace })];
  },
  docs_search: async (ctx) => {
    if (!ctx.store) throw missing("docs_search", "the store with the index: pass { store } (see 'weft index')");
    const { docsSearchTool } = await import("./docs-search.js");
    return [docsSearchTool({ store: await ctx.store(), embedder: await ctx.embedder?.() })];
  },
  http_get: async (ctx) => [(await import("./http.js")).httpGetTool(ctx.net)],
  http_post: async (ctx) => [(await import("./http.js")).httpPostTool(ctx.net)],
  web_search: async (ctx) => {
    const { searchProviderFromEnv, webSearchTool } = await import("./web-search.js");
    // The provider's URL comes from the user, not the model: only the private ranges the user opened
    // apply (a SearXNG on localhost), not the host allowlist meant for the model's own requests.
    const policy = { allowPrivateNetwork: ctx.net?.allowPrivateNetwork };
    return [webSearchTool({ provider: searchProviderFromEnv(ctx.env ?? process.env, { policy }) })];
  },
  wikipedia: async (ctx) => [(await import("./wikipedia.js")).wikipediaTool({ policy: ctx.net })],
  sql: async (ctx) => {
    if (!ctx.data) throw missing("sql", "data to query: pass { data: { file } } or { data: { db } } (--file or --db)");
    const { openDataSource } = await import("../../data/open-source.js");
    const { defaultDataCacheDir } = await import("../../data/load/data-cache.js");
    const { cwd = process.cwd(), env = process.env, ...location } = ctx.data;
    const source = await openDataSource(location as DataLocation, {
      cwd,
      cacheDir: defaultDataCacheDir({ cwd, env }),
    });
    ctx.onClose?.(() => source.close());
    return [await (await import("./sql.js")).sqlTool({ source })];
  },
};

/** Names that stand for several tools. */
const GROUPS: Record<string, string[]> = {
  http: ["http_get", "http_post"],
};

/** Every name resolveToolNames knows, groups included, sorted. */
export function knownToolNames(): string[] {
  return [...Object.keys(FACTORIES), ...Object.keys(GROUPS)].sort();
}

/**
 * The built-in tools with these names (groups such as `http` expand), each made once, in order.
 * An unknown name is an InvalidArgumentError listing the known ones.
 *
 * @example
 * const tools = await resolveToolNames(["calculator", "docs_search"], { store: () => openStore({ path: ".weft/weft.db" }) });
 */
export async function resolveToolNames(names: string[], ctx: ToolNameContext = {}): Promise<AnyTool[]> {
  const wanted: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const expanded = GROUPS[name] ?? [name];
    for (const n of expanded) {
      if (!(n in FACTORIES)) {
        throw new InvalidArgumentError({
          argument: "tools",
          message: `Unknown tool '${n}'. Known tools: ${knownToolNames().join(", ")}.`,
        });
      }
      if (!wanted.includes(n)) wanted.push(n);
    }
  }
  const made = await Promise.all(wanted.map((n) => (FACTORIES[n] as Factory)(ctx)));
  return made.flat();
}

function missing(tool: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError({
    argument: "tools",
    message: `The '${tool}' tool needs ${what}.`,
  });
}
