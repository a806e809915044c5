/**
 * The Messages API requires `max_tokens`. When the caller sets no `maxTokens`, weft sends a default
 * that every model of the family accepts. Keep this table small: it is a default, not a model fact.
 */
const DEFAULTS: ReadonlyArray<readonly [prefix: string, maxTokens: number]> = [
  ["claude-3-haiku", 4096],
  ["claude-3-sonnet", 4096],
  ["claude-3-opus", 4096],
  // Claude 3.5 and every later family accept at least 8192 output tokens.
  ["claude-", 8192],
];

/** Used for model names weft does not recognise (e.g. a proxy's own names). */
export const UNKNOWN_MODEL_MAX_TOKENS = 1024;

/**
 * The `max_tokens` weft sends for a model when the caller sets none.
 *
 * @example
 * defaultMaxTokens("claude-haiku-4-5"); // 8192
 * defaultMaxTokens("my-proxy-model"); // 1024
 */
export function defaultMaxTokens(modelId: string): number {
  const id = modelId.toLowerCase();
  for (const [prefix, maxTokens] of DEFAULTS) {
    if (id.startsWith(prefix)) return maxTokens;
  }
  return UNKNOWN_MODEL_MAX_TOKENS;
}
