import type * as AnthropicSdk from "@anthropic-ai/sdk";

let sdk: typeof AnthropicSdk | undefined;

/**
 * Loads `@anthropic-ai/sdk` on first use, so `import "weft"` does not pay for it.
 *
 * @example
 * const { default: Anthropic } = await loadAnthropicSdk();
 */
export async function loadAnthropicSdk(): Promise<typeof AnthropicSdk> {
  sdk ??= await import("@anthropic-ai/sdk");
  return sdk;
}

/** The SDK once a call has loaded it; errors to map can only come from SDK calls. */
export function loadedAnthropicSdk(): typeof AnthropicSdk | undefined {
  return sdk;
}
