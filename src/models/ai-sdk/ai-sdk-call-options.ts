import type {
  JSONSchema7,
  JSONValue,
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3ToolResultOutput,
  SharedV3ProviderOptions,
} from "@ai-sdk/provider";
import type { CallOptions, Message, ToolChoice, ToolResultPart } from "../../spec/language-model.js";

/**
 * Translates weft call options to AI SDK call options (v3; the fields weft uses are the same in
 * v2), with a warning for every setting the AI SDK interface has no place for.
 *
 * @example
 * const { callOptions } = toAISDKCallOptions({ messages: [{ role: "user", content: "Hi" }], maxTokens: 50 });
 * await aiSdkModel.doGenerate(callOptions);
 */
export function toAISDKCallOptions(options: CallOptions): {
  callOptions: LanguageModelV3CallOptions;
  warnings: string[];
} {
  const warnings: string[] = [];
  const callOptions: LanguageModelV3CallOptions = { prompt: options.messages.map(toAISDKMessage) };

  if (options.maxTokens !== undefined) callOptions.maxOutputTokens = options.maxTokens;
  if (options.temperature !== undefined) callOptions.temperature = options.temperature;
  if (options.topP !== undefined) callOptions.topP = options.topP;
  if (options.topK !== undefined) callOptions.topK = options.topK;
  if (options.stop?.length) callOptions.stopSequences = options.stop;
  if (options.seed !== undefined) callOptions.seed = options.seed;
  if (options.tools?.length) {
    callOptions.tools = options.tools.map((tool) => ({
      type: "function" as const,
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema as JSONSchema7,
    }));
    if (options.toolChoice) callOptions.toolChoice = toToolChoice(options.toolChoice);
  }
  if (options.responseFormat?.type === "json") {
    const { schema, name, description } = options.responseFormat;
    callOptions.responseFormat = {
      type: "json",
      ...(schema ? { schema: schema as JSONSchema7 } : {}),
      ...(name ? { name } : {}),
      ...(description ? { description } : {}),
    };
  } else if (options.responseFormat?.type === "text") {
    callOptions.responseFormat = { type: "text" };
  }
  if (options.abortSignal) callOptions.abortSignal = options.abortSignal;
  if (options.headers) callOptions.headers = options.headers;
  if (options.providerOptions) callOptions.providerOptions = options.providerOptions as SharedV3ProviderOptions;

  if (options.n !== undefined && options.n > 1) {
    warnings.push(`AI SDK models return one completion per call; n=${options.n} was ignored.`);
  }
  if (options.logprobs || options.topLogprobs) {
    warnings.push("The AI SDK model interface does not return log probabilities; logprobs was ignored.");
  }
  if (options.grammar !== undefined) warnings.push("AI SDK models do not take a GBNF grammar; grammar was ignored.");
  if (options.rawPrompt !== undefined) {
    warnings.push("AI SDK models have no raw completion mode; the prompt was sent as a chat message.");
  }
  return { callOptions, warnings };
}

function toToolChoice(choice: ToolChoice): NonNullable<LanguageModelV3CallOptions["toolChoice"]> {
  if (typeof choice === "string") return { type: choice };
  return { type: "tool", toolName: choice.toolName };
}

function toAISDKMessage(message: Message): LanguageModelV3Message {
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return {
        role: "user",
        content:
          typeof message.content === "string"
            ? [{ type: "text", text: message.content }]
            : message.content.map((part) => ({ type: "text" as const, text: part.text })),
      };
    case "assistant":
      return {
        role: "assistant",
        content:
          typeof message.content === "string"
            ? [{ type: "text", text: message.content }]
            : message.content.map((part) =>
                part.type === "text"
                  ? { type: "text" as const, text: part.text }
                  : {
                      type: "tool-call" as const,
                      toolCallId: part.toolCallId,
                      toolName: part.toolName,
                      input: part.input,
                    },
              ),
      };
    case "tool":
      return {
        role: "tool",
        content: message.content.map((part) => ({
          type: "tool-result" as const,
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          output: toToolResultOutput(part),
        })),
      };
  }
}

function toToolResultOutput(part: ToolResultPart): LanguageModelV3ToolResultOutput {
  if (typeof part.output === "string") {
    return part.isError ? { type: "error-text", value: part.output } : { type: "text", value: part.output };
  }
  // A JSON round trip turns Dates, undefined and class instances into the plain JSON the spec expects.
  const value = JSON.parse(JSON.stringify(part.output) ?? "null") as JSONValue;
  return part.isError ? { type: "error-json", value } : { type: "json", value };
}
