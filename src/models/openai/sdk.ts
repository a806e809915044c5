import type * as OpenAISdk from "openai";

let sdk: typeof OpenAISdk | undefined;

/**
 * Loads the `openai` SDK on first use, so `import "weft"` does not pay for it.
 *
 * @example
 * const { OpenAI } = await loadOpenAISdk();
 */
export async function loadOpenAISdk(): Promise<typeof OpenAISdk> {
  sdk ??= await import("openai");
  return sdk;
}

/**
 * The SDK once a call has loaded it. Errors to map can only come from SDK calls, so error mapping
 * may rely on this being set; before that nothing can be an SDK error.
 */
export function loadedOpenAISdk(): typeof OpenAISdk | undefined {
  return sdk;
}
