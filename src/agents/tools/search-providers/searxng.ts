import { InvalidArgumentError, InvalidResponseError } from "../../../spec/errors.js";
import type { WebSearchProvider } from "../web-search.js";
import { callJsonApi, normaliseResults } from "./call-api.js";
import type { SearchProviderOptions } from "./shared-options.js";

export interface SearxngSearchOptions extends SearchProviderOptions {
  /** SearXNG categories, e.g. "general" or "news". */
  categories?: string;
  /** Result language, e.g. "en" or "de-CH". */
  language?: string;
}

/**
 * SearXNG through its JSON API (`/search?format=json&q=...`); the instance must list `json` under
 * `search.formats` in its settings. The URL comes from `baseUrl` or WEFT_SEARXNG_URL.
 *
 * @example
 * const provider = searxngSearchProvider({ baseUrl: "https://searx.example.org" });
 */
export function searxngSearchProvider(options: SearxngSearchOptions = {}): WebSearchProvider {
  const base = options.baseUrl ?? (options.env ?? process.env).WEFT_SEARXNG_URL;
  if (!base) {
    throw new InvalidArgumentError({
      argument: "baseUrl",
      message:
        "SearXNG needs the URL of an instance: pass baseUrl or set WEFT_SEARXNG_URL (e.g. http://localhost:8888).",
    });
  }
  return {
    name: "searxng",
    async search({ query, k, abortSignal }) {
      const url = new URL("search", base.endsWith("/") ? base : `${base}/`);
      url.searchParams.set("q", query);
      url.searchParams.set("format", "json");
      if (options.categories) url.searchParams.set("categories", options.categories);
      if (options.language) url.searchParams.set("language", options.language);
      const data = (await callJsonApi({
        provider: "SearXNG",
        envVar: "WEFT_SEARXNG_URL",
        tool: "web_search",
        url,
        policy: options.policy,
        abortSignal,
      }).catch((error: unknown) => {
        // SearXNG answers 403 when the JSON format is disabled, not because of a key.
        if ((error as { status?: number }).status === 403) {
          throw new InvalidResponseError({
            provider: "SearXNG",
            detail:
              "HTTP 403, which SearXNG sends when the JSON format is off; add json to search.formats in settings.yml",
            retryable: false,
          });
        }
        throw error;
      })) as { results?: Array<{ title?: string; url?: string; content?: string }> };
      if (!Array.isArray(data.results)) {
        throw new InvalidResponseError({ provider: "SearXNG", detail: "no results array", retryable: false });
      }
      return normaliseResults(data.results, k, "content");
    },
  };
}
