import { InvalidArgumentError, InvalidResponseError } from "../../../spec/errors.js";
import type { WebSearchProvider } from "../web-search.js";
import { callJsonApi, normaliseResults } from "./call-api.js";
import type { SearchProviderOptions } from "./shared-options.js";

export interface BraveSearchOptions extends SearchProviderOptions {
  /** Default: BRAVE_API_KEY. */
  apiKey?: string;
  /** Two-letter country code for results, e.g. "us". */
  country?: string;
}

/**
 * Brave Search API (`GET /res/v1/web/search`, key in the X-Subscription-Token header).
 *
 * @example
 * const provider = braveSearchProvider(); // reads BRAVE_API_KEY
 */
export function braveSearchProvider(options: BraveSearchOptions = {}): WebSearchProvider {
  const apiKey = options.apiKey ?? (options.env ?? process.env).BRAVE_API_KEY;
  if (!apiKey) {
    throw new InvalidArgumentError({
      argument: "apiKey",
      message:
        "Brave Search needs an API key: pass apiKey or set BRAVE_API_KEY (get one at https://brave.com/search/api/).",
    });
  }
  const base = options.baseUrl ?? "https://api.search.brave.com";
  return {
    name: "brave",
    async search({ query, k, abortSignal }) {
      const url = new URL("res/v1/web/search", base.endsWith("/") ? base : `${base}/`);
      url.searchParams.set("q", query);
      url.searchParams.set("count", String(Math.min(k, 20)));
      if (options.country) url.searchParams.set("country", options.country);
      const data = (await callJsonApi({
        provider: "Brave Search",
        envVar: "BRAVE_API_KEY",
        tool: "web_search",
        url,
        headers: { "X-Subscription-Token": apiKey },
        policy: options.policy,
        abortSignal,
      })) as { web?: { results?: Array<{ title?: string; url?: string; description?: string }> } };
      if (typeof data !== "object" || data === null) {
        throw new InvalidResponseError({
          provider: "Brave Search",
          detail: "the body is not an object",
          retryable: false,
        });
      }
      // No `web` section means no web results: Brave omits it rather than sending an empty list.
      return normaliseResults(data.web?.results ?? [], k, "description");
    },
  };
}
