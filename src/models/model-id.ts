import { InvalidArgumentError } from "../spec/errors.js";

export interface ParsedModelId {
  provider: string;
  /** Everything after the first colon: a model name, an Azure deployment or a file path. */
  name: string;
}

/**
 * Splits a `provider:name` model id at its first colon.
 *
 * @example
 * parseModelId("local:./models/tiny.gguf"); // { provider: "local", name: "./models/tiny.gguf" }
 */
export function parseModelId(id: string): ParsedModelId {
  const colon = id.indexOf(":");
  if (colon <= 0 || colon === id.length - 1) {
    throw new InvalidArgumentError({
      argument: "model",
      message: `'${id}' is not a model id. Use provider:name, e.g. openai:gpt-4o-mini, anthropic:claude-haiku-4-5, ollama:llama3.2 or local:./model.gguf.`,
    });
  }
  return { provider: id.slice(0, colon).trim().toLowerCase(), name: id.slice(colon + 1).trim() };
}
