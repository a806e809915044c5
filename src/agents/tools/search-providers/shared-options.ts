import type { NetPolicy } from "../net-policy.js";

/** Options every search provider takes. */
export interface SearchProviderOptions {
  /** The API's base URL; override it for a proxy, a self-hosted instance or tests. */
  baseUrl?: string;
  /** Network policy for the provider's requests. Default: public hosts only. */
  policy?: NetPolicy;
  /** Where keys and URLs are looked up when not passed. Default: `process.env`. */
  env?: Record<string, string | undefined>;
}
