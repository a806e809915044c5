import { InvalidArgumentError, InvalidResponseError } from "../../../spec/errors.js";
import type { WebSearchProvider } from "../web-search.js";
import { callJsonApi, normaliseResults } from "./call-api.js";
import type { SearchProviderOptions } from "./shared-options.js";

export interface TavilySearchOptions extends SearchProviderOptions {
  /** Default: TAVILY_API_KEY. */
  apiKey?: string;
  /** "basic" (default, 1 credit) or "advanced" (2 credits, better snippets). */
  searchDepth?: "basic" | "advanced";
  /** "general" (default) or "news". */
  topic?: "general" | "news";
}

/**
 * Tavily (`POST /search` with a JSON body, key as a Bearer token).
 *
 * @example
 * const provider = tavilySearchProvider({ searchDepth: "advanced" }); // reads TAVILY_API_KEY
 */
export function tavilySearchProvider(options: TavilySearchOptions = {}): WebSearchProvider {
  const apiKey = options.apiKey ?? (options.env ?? process.env).TAVILY_API_KEY;
  if (!apiKey) {
    throw new InvalidArgumentError({
      argument: "apiKey",
      message: "Tavily needs an API key: pass apiKey or set TAVILY_API_KEY (get one at https://app.tavily.com).",
    });
  }
  const base = options.baseUrl ?? "https://api.tavily.com";
  return {
    name: "tavily",
    async search({ query, k, abortSignal }) {
      const data = (await callJsonApi({
        provider: "Tavily",
        envVar: "TAVILY_API_KEY",
        tool: "web_search",
        url: new URL("search", base.endsWith("/") ? base : `${base}/`),
        method: "POST",
        headers: { Authorization: `Bearer ${apiKey}` },
        json: {
          query,
          max_results: Math.min(k, 20),
          search_depth: options.searchDepth ?? "basic",
          topic: options.topic ?? "general",
        },
        policy: options.policy,
        abortSignal,
      })) as { results?: Array<{ title?: string; url?: string; content?: string }> };
      if (!Array.isArray(data?.results)) {
        throw new InvalidResponseError({ provider: "Tavily", detail: "no results array", retryable: false });
      }
      return normaliseResults(data.results, k, "content");
    },
  };
}
