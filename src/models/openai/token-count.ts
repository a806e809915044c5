/** The BPE vocabularies OpenAI chat models use. */
export type OpenAIEncoding = "o200k_base" | "cl100k_base";

const O200K = /^(?:ft:)?(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4)(?:\b|[-_.:])/i;

/**
 * The tokenizer of an OpenAI model id: o200k_base for the gpt-4o, 4.1, 4.5, 5 and o-series
 * families, cl100k_base for gpt-4, gpt-3.5 and anything unknown (e.g. Azure deployment names).
 *
 * @example
 * openAIEncodingFor("gpt-4o-mini"); // "o200k_base"
 */
export function openAIEncodingFor(modelId: string): OpenAIEncoding {
  return O200K.test(modelId) ? "o200k_base" : "cl100k_base";
}

/**
 * Counts the tokens of a text with the model's tokenizer. Special-token strings such as
 * `<|endoftext|>` count as ordinary text. The vocabulary loads on first use (a few hundred ms).
 *
 * @example
 * await countOpenAITokens("gpt-4o", "Hello world"); // 2
 */
export async function countOpenAITokens(modelId: string, text: string): Promise<number> {
  const encoding =
    openAIEncodingFor(modelId) === "o200k_base"
      ? await import("gpt-tokenizer/encoding/o200k_base")
      : await import("gpt-tokenizer/encoding/cl100k_base");
  return encoding.countTokens(text, { disallowedSpecial: new Set() });
}
