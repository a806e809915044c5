import { InvalidResponseError } from "../../spec/errors.js";
import { PLACEHOLDER_API_KEY } from "./compatible-provider.js";
import { type Connection, displayURL, type FetchFunction, nonEmpty, sdkOptions } from "./connection.js";
import { mapOpenAIError } from "./map-error.js";
import { loadOpenAISdk } from "./sdk.js";

export interface ListServerModelsOptions {
  /** Base URL including the version path, e.g. `http://127.0.0.1:11434/v1`. */
  baseURL: string;
  apiKey?: string;
  fetch?: FetchFunction;
  /** Give up after this long (default 2000 ms): meant for probing whether a server is there. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  /** Name used in error messages (default `server`). */
  provider?: string;
}

/**
 * Lists the model ids an OpenAI-compatible server offers (`GET /models`), in the server's order.
 * Rejects with ConnectionError when nothing listens there and TimeoutError when it is too slow.
 *
 * @example
 * const ids = await listServerModels({ baseURL: "http://127.0.0.1:11434/v1", timeoutMs: 500 });
 */
export async function listServerModels(options: ListServerModelsOptions): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const apiKey = nonEmpty(options.apiKey);
  const connection: Connection = {
    provider: options.provider ?? "server",
    displayURL: displayURL(options.baseURL),
    timeoutMs,
    secret: apiKey,
    flavor: { maxTokensField: "max_tokens", rawCompletion: true, countTokens: false, topK: true },
    client: async () =>
      new (await loadOpenAISdk()).OpenAI(
        sdkOptions({
          apiKey: apiKey ?? PLACEHOLDER_API_KEY,
          baseURL: options.baseURL,
          fetch: options.fetch,
          timeoutMs,
        }),
      ),
  };
  try {
    const page = await (await connection.client()).models.list(
      options.abortSignal ? { signal: options.abortSignal } : {},
    );
    const data = (page as { data?: unknown }).data;
    if (!Array.isArray(data)) {
      throw new InvalidResponseError({ provider: connection.provider, detail: "GET /models returned no data array" });
    }
    return data.flatMap((model) => (typeof model?.id === "string" ? [model.id] : []));
  } catch (error) {
    throw mapOpenAIError(error, connection, "", options.abortSignal);
  }
}
