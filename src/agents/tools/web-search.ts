/**
 * `web_search`: search the web through a pluggable provider (SearXNG, Brave Search, Tavily, or your
 * own object with a `search` method). Results are normalised to `{ title, url, snippet }`.
 */
import { z } from "zod";
import { InvalidArgumentError } from "../../spec/errors.js";
import { type Tool, tool } from "../tool.js";
import type { NetPolicy } from "./net-policy.js";
import { braveSearchProvider } from "./search-providers/brave.js";
import { searxngSearchProvider } from "./search-providers/searxng.js";
import { tavilySearchProvider } from "./search-providers/tavily.js";

export interface WebSearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface WebSearchRequest {
  query: string;
  /** Results wanted at most. */
  k: number;
  abortSignal?: AbortSignal;
}

/** A search backend. Implement `search` to plug in another engine. */
export interface WebSearchProvider {
  readonly name: string;
  search(request: WebSearchRequest): Promise<WebSearchResult[]>;
}

export interface WebSearchToolOptions {
  provider: WebSearchProvider;
  /** Results returned when the model does not ask for a number (default 5, at most 20). */
  k?: number;
}

/**
 * The `web_search` tool over one provider.
 *
 * @example
 * const search = webSearchTool({ provider: braveSearchProvider() }); // BRAVE_API_KEY from the environment
 */
export function webSearchTool(options: WebSearchToolOptions): Tool<{ query: string; k?: number }, WebSearchResult[]> {
  const defaultK = options.k ?? 5;
  if (!Number.isInteger(defaultK) || defaultK < 1 || defaultK > 20) {
    throw new InvalidArgumentError({ argument: "k", message: `k must be an integer from 1 to 20, got ${defaultK}.` });
  }
  return tool({
    name: "web_search",
    description:
      "Search the web. Returns the top results as title, URL and a short snippet; open a result with http_get when the snippet is not enough.",
    inputSchema: z.object({
      query: z.string().min(1).describe("Search terms"),
      k: z.number().int().min(1).max(20).optional().describe(`How many results (default ${defaultK})`),
    }),
    async execute({ query, k }, { abortSignal }) {
      const wanted = k ?? defaultK;
      const results = await options.provider.search({ query, k: wanted, abortSignal });
      return results.slice(0, wanted);
    },
  });
}

/**
 * The first provider configured in the environment: WEFT_SEARXNG_URL, then BRAVE_API_KEY, then
 * TAVILY_API_KEY. Throws InvalidArgumentError naming all three when none is set. `policy` is the
 * network policy of the provider's requests (a SearXNG on the local network needs
 * `allowPrivateNetwork`).
 */
export function searchProviderFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: { policy?: NetPolicy } = {},
): WebSearchProvider {
  const { policy } = options;
  if (env.WEFT_SEARXNG_URL) return searxngSearchProvider({ env, policy });
  if (env.BRAVE_API_KEY) return braveSearchProvider({ env, policy });
  if (env.TAVILY_API_KEY) return tavilySearchProvider({ env, policy });
  throw new InvalidArgumentError({
    argument: "provider",
    message:
      "No web search provider is configured: set WEFT_SEARXNG_URL (a SearXNG instance with the JSON format enabled), BRAVE_API_KEY or TAVILY_API_KEY.",
  });
}
