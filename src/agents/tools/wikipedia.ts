/**
 * `wikipedia`: search Wikipedia and return the introduction of the best matching articles, through
 * the MediaWiki Action API (one request: a search generator with plain-text intro extracts).
 */
import { z } from "zod";
import { VERSION } from "../../cli/version.js";
import { APICallError, InvalidArgumentError, InvalidResponseError } from "../../spec/errors.js";
import { type Tool, tool } from "../tool.js";
import type { NetPolicy } from "./net-policy.js";
import { callJsonApi } from "./search-providers/call-api.js";

export interface WikipediaToolOptions {
  /** Wikipedia language edition, e.g. "en", "de", "zh-yue". Default "en". */
  language?: string;
  /** Site root of the wiki (its API is at `/w/api.php`). Default `https://<language>.wikipedia.org`. */
  baseUrl?: string;
  /** Articles returned when the model does not ask for a number (default 3, at most 10). */
  k?: number;
  /** Characters of each introduction kept (default 1500). */
  maxChars?: number;
  /**
   * Wikimedia asks API clients for a User-Agent with contact details (a URL or e-mail); pass yours.
   * Default: `weft/<version> (wikipedia tool)`.
   */
  userAgent?: string;
  /** Network policy. Default: public hosts only. */
  policy?: NetPolicy;
}

export interface WikipediaArticle {
  title: string;
  url: string;
  extract: string;
}

interface Page {
  title?: string;
  index?: number;
  extract?: string;
  fullurl?: string;
  missing?: boolean;
}

const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,10})*$/;

/**
 * The `wikipedia` tool.
 *
 * @example
 * const wiki = wikipediaTool({ language: "de", userAgent: "my-app/1.0 (ops@example.com)" });
 */
export function wikipediaTool(
  options: WikipediaToolOptions = {},
): Tool<{ query: string; k?: number }, WikipediaArticle[]> {
  const language = options.language ?? "en";
  // The language becomes part of a host name, so it must not be able to smuggle in another host.
  if (!LANGUAGE.test(language)) {
    throw new InvalidArgumentError({
      argument: "language",
      message: `'${language}' is not a Wikipedia language code; use one like "en", "fr" or "zh-yue".`,
    });
  }
  const site = (options.baseUrl ?? `https://${language}.wikipedia.org`).replace(/\/+$/, "");
  const defaultK = options.k ?? 3;
  if (!Number.isInteger(defaultK) || defaultK < 1 || defaultK > 10) {
    throw new InvalidArgumentError({ argument: "k", message: `k must be an integer from 1 to 10, got ${defaultK}.` });
  }
  const maxChars = options.maxChars ?? 1500;
  const userAgent = options.userAgent ?? `weft/${VERSION} (wikipedia tool)`;
  return tool({
    name: "wikipedia",
    description:
      "Search Wikipedia and return the title, URL and introduction of the best matching articles. Good for facts about people, places, things and events.",
    inputSchema: z.object({
      query: z.string().min(1).describe("What to look up, e.g. a name or topic"),
      k: z.number().int().min(1).max(10).optional().describe(`How many articles (default ${defaultK})`),
    }),
    async execute({ query, k }, { abortSignal }) {
      const limit = k ?? defaultK;
      const url = new URL(`${site}/w/api.php`);
      const params = {
        action: "query",
        format: "json",
        formatversion: "2",
        generator: "search",
        gsrsearch: query,
        gsrlimit: String(limit),
        gsrnamespace: "0",
        prop: "extracts|info",
        inprop: "url",
        exintro: "1",
        explaintext: "1",
        exlimit: String(limit),
        redirects: "1",
      };
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      const data = (await callJsonApi({
        provider: "Wikipedia",
        tool: "wikipedia",
        url,
        headers: { "User-Agent": userAgent },
        policy: options.policy,
        abortSignal,
      })) as { error?: { code?: string; info?: string }; query?: { pages?: Page[] } };
      if (data?.error) {
        throw new APICallError({
          provider: "Wikipedia",
          message: `Wikipedia refused the query (${data.error.code ?? "error"}): ${data.error.info ?? "no details"}.`,
        });
      }
      if (data?.query === undefined) return []; // MediaWiki omits `query` when nothing matched
      if (!Array.isArray(data.query.pages)) {
        throw new InvalidResponseError({
          provider: "Wikipedia",
          detail: "query.pages is not a list",
          retryable: false,
        });
      }
      return data.query.pages
        .filter((p) => typeof p.title === "string" && !p.missing)
        .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
        .slice(0, limit)
        .map((p) => {
          const title = p.title as string;
          const extract = (p.extract ?? "").trim();
          return {
            title,
            url: p.fullurl ?? `${site}/wiki/${encodeURIComponent(title.replace(/ /g, "_"))}`,
            extract: extract.length > maxChars ? `${extract.slice(0, maxChars - 1)}…` : extract,
          };
        });
    },
  });
}
